"""Monte Carlo of the fund: scenarios, price and risk models, vectorised kernels, executors."""
