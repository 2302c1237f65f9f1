"""Investment and joint-venture matchmaking: firms' opportunities, investors' profiles and the
interests between them, from first message to committed capital."""
