#pragma once
// x_i ← exp(x_i) for i < n: the exponentials of the mixing weights of a block of events (C × 8 of
// them per block of eight events, the largest single cost of a likelihood pass after memory). Where the build has glibc's
// vector maths library (libmvec) and GCC, the loop may run on its vector exp (the Release build here,
// -O3 -march=native, calls the 8-lane AVX-512 variant _ZGVeN8v_exp; lower optimisation levels or
// other targets may keep it scalar or use 4 or 2 lanes; at most 3 ulp from the correctly rounded value, against < 1 ulp for the
// scalar exp, measured over 10⁷ arguments in [−745, 0]); elsewhere on std::exp. exp(0) = 1 exactly
// in both, which the log-sum-exp relies on. The same build gives the same bits on every rank.
#include <cstddef>

namespace mic {

void exp_each(double* x, std::size_t n);

// x_i ← log(x_i) for i < n, on libmvec's vector log where exp_each uses the vector exp (≤ 4 ulp,
// against < 1 ulp for the scalar log; log(1) = 0 exactly in both), elsewhere on std::log.
void log_each(double* x, std::size_t n);

} // namespace mic
