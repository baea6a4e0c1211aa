#!/usr/bin/env python3
"""Golden values for RdpAccountantTest, computed independently of the Java code.

The same published formula (Mironov, Talwar and Zhang 2019, integer orders; classic conversion of Mironov 2017,
Proposition 3), but evaluated directly in 60-digit decimal arithmetic instead of Java's log-space sum:
A_a = sum_i C(a,i) (1-q)^(a-i) q^i exp((i^2-i)/(2 sigma^2)),  RDP(a) = ln(A_a)/(a-1),
eps = min_a steps*RDP(a) + ln(1/delta)/(a-1) over a in 2..64, 80, 96, 128, 256.
Run: /usr/bin/python3 rdp_golden.py
"""
from decimal import Decimal, getcontext
from math import comb

getcontext().prec = 60
ORDERS = list(range(2, 65)) + [80, 96, 128, 256]


def rdp(q, sigma, a):
    q = Decimal(q)
    s2 = 2 * Decimal(sigma) ** 2
    total = sum(Decimal(comb(a, i)) * (1 - q) ** (a - i) * q ** i * ((Decimal(i * i - i)) / s2).exp()
                for i in range(a + 1))
    return total.ln() / (a - 1)


def epsilon(q, sigma, steps, delta):
    log_inv_delta = (1 / Decimal(delta)).ln()
    return min((steps * rdp(q, sigma, a) + log_inv_delta / (a - 1), a) for a in ORDERS)


if __name__ == "__main__":
    cases = [
        # Abadi et al. / TF-Privacy's MNIST tutorial: batch 256 of 60,000, sigma 1.1, 60 epochs of 234 steps.
        (256 / 60000, 1.1, 60 * 234, 1e-5),
        # This project's Fashion-MNIST DP-SGD: batch 128 of 10,000, sigma 1.5, 5 epochs of 78 steps.
        (128 / 10000, 1.5, 5 * 78, 1e-5),
        # Little noise and many steps: the best order is small.
        (0.01, 0.7, 1000, 1e-5),
    ]
    for q, sigma, steps, delta in cases:
        eps, order = epsilon(q, sigma, steps, delta)
        print(f"q={q!r} sigma={sigma} steps={steps} delta={delta}: eps={eps:.12f} order={order}")
