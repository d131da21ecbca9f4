#!/usr/bin/env python3
"""Derives the float tanh coefficients of FastMath.java and checks them in float arithmetic.

    python3 lstm-cpu/src/main/scripts/fit_tanh.py            # every float in [0, 10.5]: ~2 min, 1 core
    python3 lstm-cpu/src/main/scripts/fit_tanh.py --step 97  # every 97th float: seconds

Needs numpy and scipy (scipy.optimize.linprog). Prints the Java constants for FastMath and the max ulp
error of FastMath.tanh and FastMath.sigmoid, computed by replaying FastMath's exact sequence of float
operations in numpy float32 (IEEE single, round to nearest, no fused multiply-add: the same arithmetic
Java does), against the double result rounded to float.

The form, and why (FastMath's javadoc has the same in short):

  tanh(x) = h / (1 + h^2/4)   with   h = 2 tanh(x/2)   (the double-angle formula)
  h       = x + x t K(t)/Q(t), t = x^2, K of degree 2, Q of degree 2 with Q(0) = 1

A plain odd rational x P(x^2)/Q(x^2) fitted to tanh is accurate in exact arithmetic, but its float
evaluation is off by up to 5 ulp: P and Q are sums of terms of similar size whose rounding errors all
land on the result, and near x = 0 the values P and Q sit just above 1, where a float's relative
spacing is coarsest. The double-angle step fixes the large-x side, because the relative error of
tanh(x) is the relative error of h times sech(x) (d log tanh(x) / d log h = (1 - h^2/4)/(1 + h^2/4)),
which is below 0.1 from x = 3 on. Writing h as x plus a correction fixes the small-x side, because
the correction's rounding errors count only in proportion to its size (x/12 of x near 0). It also
halves the work: tanh(x/2) has its nearest poles at +-i pi rather than +-i pi/2, and sech(x) weights
the fit towards small x, so 5 coefficients reach a relative error of 2e-8 (0.33 u, u = 2^-24) in exact
arithmetic, where the plain form needs 9 for 0.12 u.

One rounding is left that the form does not damp: the denominator 1 + h^2/4 lies in [1, 2], and near 1
rounding it costs up to 1 ulp of the result. Alone that leaves 4 floats at 3 ulp (near x = 0.5356,
where tanh is just below 0.5 and h just above). For den = fl(1 + q), den - 1 is exact (den is in
[1, 2]) and (den - 1) - q is exactly the rounding error (Fast2Sum), so y = h/den is corrected to
y + y ((den - 1) - q)/den ~ h/(1 + q). 2 - den stands in for 1/den: the two agree at den = 1, where
the correction matters, differ by (den - 1)^2/den in between, and 2 - den is 0 at den = 2, so the
correction vanishes for large x and tanh(10) stays exactly 1 (with the factor left out, the
overshoot there turns it into 0.99999994). Six more operations take the count at 2 ulp from 540,000
floats to 79,000, and the largest error stays below 3 ulp by a margin rather than by luck.

The coefficients are a minimax fit of the relative error of the final tanh over [0, CLAMP], by
sequential linear programming: linearise the error in the coefficients around the current ones, take
the step that minimises the largest linearised error over a dense grid (an LP) inside a trust region,
keep it if the true largest error went down. The start is a weighted linear least-squares fit.

Java evaluates the polynomials in n = 0 - x^2 rather than in t = x^2, with the signs of the
coefficients flipped to match: the values are the same up to sign, but x = -0 then yields h = -0
(x + x*n*K/Q adds -0 to -0), so tanh(-0) = -0 as Math.tanh gives. Adding a +0 correction, which is
what the t form produces, would turn -0 into +0.
"""
import argparse
import sys
import time

import numpy as np
from scipy.optimize import linprog

F32 = np.float32
U = 2.0 ** -24  # unit roundoff of float: the largest relative error of one rounding

# tanh rounds to 1.0f from x = atanh(1 - 2^-25) = 9.0109 on; clamping at 10 keeps x^2 finite and
# leaves h(10) so close to 2 (relative 1e-4) that h/(1 + h^2/4) still rounds to exactly 1.0f.
CLAMP = 10.0
DEG_K = 2
DEG_Q = 2


def fit(deg_k, deg_q, clamp, npts=6000, iters=80):
    """Minimax fit of the relative error of tanh over [0, clamp]. Returns (error, K coeffs, Q coeffs)
    in powers of t = x^2, lowest first, Q[0] = 1."""
    i = np.arange(npts)
    x = clamp * (1 - np.cos(np.pi * (i + 0.5) / npts)) / 2  # dense at both ends, where the error peaks
    x = np.append(x, clamp)
    t = x * x
    s = t / clamp ** 2  # fit in s = t/clamp^2 in [0, 1]: the monomial basis stays well conditioned
    y = np.tanh(x)
    vk = np.vstack([s ** j for j in range(deg_k + 1)]).T
    vq = np.vstack([s ** j for j in range(1, deg_q + 1)]).T

    def evaluate(ck, cq):
        k = vk @ ck
        q = 1 + vq @ cq
        h = x + x * t * k / q
        return k, q, h, h / (1 + h * h / 4)

    # Start: least squares on K - g Q = 0 with g = (2 tanh(x/2)/x - 1)/t, weighted by sech(x) t.
    g = (2 * np.tanh(x / 2) / x - 1) / t
    w = t / np.cosh(x)
    a = np.hstack([vk, -g[:, None] * vq]) * w[:, None]
    sol = np.linalg.lstsq(a, g * w, rcond=None)[0]
    ck, cq = sol[:deg_k + 1], sol[deg_k + 1:]

    radius = 1.0
    nvar = deg_k + 1 + deg_q
    for _ in range(iters):
        k, q, h, yh = evaluate(ck, cq)
        e = yh / y - 1
        err = np.max(np.abs(e))
        dy_dh = (1 - h * h / 4) / (1 + h * h / 4) ** 2 / y
        jac = np.hstack([(dy_dh * x * t / q)[:, None] * vk, -(dy_dh * x * t * k / q ** 2)[:, None] * vq])
        # Unknowns: the step divided by err, and the bound z on the linearised error divided by err, so
        # that the LP sees numbers near 1 (its tolerances are absolute, about 1e-7).
        ones = np.ones((len(x), 1))
        a_ub = np.vstack([np.hstack([jac, -ones]), np.hstack([-jac, -ones])])
        b_ub = np.concatenate([-e / err, e / err])
        cost = np.zeros(nvar + 1)
        cost[-1] = 1
        box = np.maximum(np.abs(np.concatenate([ck, cq])), 1e-3) * radius / err
        res = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=[(-b, b) for b in box] + [(0, None)], method="highs")
        if res.x is None:
            radius /= 4
            continue
        step = res.x[:-1] * err
        ck_new, cq_new = ck + step[:deg_k + 1], cq + step[deg_k + 1:]
        _, q_new, _, y_new = evaluate(ck_new, cq_new)
        err_new = np.max(np.abs(y_new / y - 1)) if np.min(q_new) > 0 else np.inf
        if err_new < err:
            ck, cq = ck_new, cq_new
            radius = min(2 * radius, 1.0)
            if err - err_new < 1e-6 * err:
                break
        else:
            radius /= 4
            if radius < 1e-4:
                break
    _, _, _, yh = evaluate(ck, cq)
    err = np.max(np.abs(yh / y - 1))
    scale_k = clamp ** (2 * np.arange(deg_k + 1))
    scale_q = clamp ** (2 * np.arange(deg_q + 1))
    return err, ck / scale_k, np.concatenate([[1.0], cq]) / scale_q


def horner(coeffs, n):
    acc = np.full_like(n, coeffs[-1])
    for c in coeffs[-2::-1]:
        acc = acc * n + c
    return acc


def tanh_f32(x, kn, qn):
    """FastMath.tanh, operation for operation, in float32. kn, qn: the Java coefficients (powers of n)."""
    a = np.maximum(F32(-CLAMP), np.minimum(F32(CLAMP), x))
    n = F32(0) - a * a
    h = a + (a * n) * (horner(kn, n) / horner(qn, n))
    q4 = (F32(0.25) * h) * h
    den = F32(1) + q4
    y = h / den
    return y + y * (((den - F32(1)) - q4) * (F32(2) - den))


def sigmoid_f32(x, kn, qn):
    """FastMath.sigmoid, operation for operation, in float32."""
    return F32(0.5) + F32(0.5) * tanh_f32(F32(0.5) * x, kn, qn)


def ulp_distance(a, b):
    """How many floats lie between a and b (0 for equal values, and for +0 against -0)."""
    ia = a.view(np.int32).astype(np.int64)
    ib = b.view(np.int32).astype(np.int64)
    ia = np.where(ia < 0, -(ia & 0x7FFFFFFF), ia)
    ib = np.where(ib < 0, -(ib & 0x7FFFFFFF), ib)
    return np.abs(ia - ib)


def float_range(lo, hi, step, chunk=1 << 24):
    """Every step-th float in [lo, hi] (both >= 0), in chunks, by bit pattern."""
    first, last = int(F32(lo).view(np.int32)), int(F32(hi).view(np.int32))
    for start in range(first, last + 1, chunk * step):
        yield np.arange(start, min(start + chunk * step, last + 1), step, dtype=np.int32).view(F32)


def java_literal(v):
    """The shortest decimal that reads back as the same float."""
    if abs(v) >= 1e-4:
        return np.format_float_positional(F32(v), unique=True, trim="-") + "f"
    return np.format_float_scientific(F32(v), unique=True, trim="-") + "f"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", type=int, default=1, help="check every step-th float (1 = all)")
    args = parser.parse_args()

    err, k, q = fit(DEG_K, DEG_Q, CLAMP)
    # The Java form uses n = -t: a coefficient of n^j is (-1)^j times that of t^j, and K changes sign
    # as a whole, since h = x + (x t) K(t)/Q(t) = x + (x n) (-K(t))/Q(t).
    signs = (-1.0) ** np.arange(3)
    kn = (-k * signs[:DEG_K + 1]).astype(F32)
    qn = (q * signs[:DEG_Q + 1]).astype(F32)
    assert qn[0] == 1
    print(f"fit: [{DEG_K}/{DEG_Q}] on [0, {CLAMP}], max relative error in exact arithmetic "
          f"{err:.3e} = {err / U:.3f} u (u = 2^-24)")

    # tanh: odd by construction (the float operations are sign-symmetric), so x >= 0 covers all x.
    t0 = time.time()
    hist = np.zeros(8, np.int64)
    worst = (0, 0.0)
    above_one = 0
    for x in float_range(0.0, CLAMP * 1.05, args.step):
        ref = np.tanh(x.astype(np.float64)).astype(F32)
        y = tanh_f32(x, kn, qn)
        d = ulp_distance(y, ref)
        hist += np.bincount(np.minimum(d, 7), minlength=8)
        if d.max() > worst[0]:
            worst = (int(d.max()), float(x[np.argmax(d)]))
        above_one += int(np.sum(y > 1))
    checked = int(hist.sum())
    print(f"tanh: {checked} floats in [0, {CLAMP * 1.05}] (every {args.step}th), {time.time() - t0:.0f} s: "
          f"max {worst[0]} ulp (first at x = {worst[1]!r}); ulp histogram {hist[:worst[0] + 1].tolist()}; "
          f"results above 1: {above_one}")
    special = np.array([CLAMP, np.inf, -np.inf, -0.0, np.nan], F32)
    at = tanh_f32(special, kn, qn)
    specials_ok = (at[0] == 1 and at[1] == 1 and at[2] == -1 and at[3] == 0 and np.signbit(at[3])
                   and np.isnan(at[4]))
    print(f"tanh of {special.tolist()} = {at.tolist()}: {'ok' if specials_ok else 'WRONG'}")

    # sigmoid: both signs, out to where it is 0 or 1 in float. Relative error is large where sigmoid
    # is tiny (0.5 + 0.5 tanh cancels), so report the absolute error, and ulps where sigmoid >= 1/4.
    t0 = time.time()
    max_abs, max_ulp = 0.0, 0
    for x in float_range(0.0, 20.0, max(args.step, 3)):
        for xs in (x, -x):
            ref64 = 1.0 / (1.0 + np.exp(-xs.astype(np.float64)))
            y = sigmoid_f32(xs, kn, qn)
            max_abs = max(max_abs, float(np.max(np.abs(y - ref64))))
            big = ref64 >= 0.25
            max_ulp = max(max_ulp, int(ulp_distance(y[big], ref64[big].astype(F32)).max()))
    print(f"sigmoid on [-20, 20] (every {max(args.step, 3)}th float), {time.time() - t0:.0f} s: "
          f"max |error| {max_abs:.3e}, max {max_ulp} ulp where sigmoid >= 1/4")

    print("\n    // Produced by lstm-cpu/src/main/scripts/fit_tanh.py")
    for j, c in enumerate(kn):
        print(f"    private static final float K{j} = {java_literal(c)};")
    for j, c in enumerate(qn[1:], start=1):
        print(f"    private static final float Q{j} = {java_literal(c)};")
    return 0 if worst[0] <= 2 and above_one == 0 and specials_ok else 1


if __name__ == "__main__":
    sys.exit(main())
