"""The localization dashboard: where the country stands for each part of a phone, and what moves it."""
