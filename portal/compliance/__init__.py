"""Compliance cases: violations of the policy's conditions and the firm's incentive and licence standing."""
