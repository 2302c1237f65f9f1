"""Operations: liveness and readiness for load balancers, figures for Prometheus."""
