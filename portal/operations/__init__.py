"""Operations: liveness and readiness for load balancers and orchestrators."""
