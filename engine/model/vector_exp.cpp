#include "engine/model/vector_exp.hpp"

#include <cmath>

namespace mic {

#if defined(MIC_HAVE_LIBMVEC) && defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
// glibc's exp under another name, declared as glibc does under -ffast-math: "simd" lets GCC call its
// vector variants (_ZGV?N?v_exp in libmvec) from a vectorised loop, without -ffast-math elsewhere.
extern "C" __attribute__((__simd__("notinbranch"), const, nothrow)) double mic_vector_exp(double) __asm__("exp");

extern "C" __attribute__((__simd__("notinbranch"), const, nothrow)) double mic_vector_log(double) __asm__("log");

void exp_each(double* x, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) x[i] = mic_vector_exp(x[i]);
}

void log_each(double* x, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) x[i] = mic_vector_log(x[i]);
}
#else
void exp_each(double* x, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) x[i] = std::exp(x[i]);
}

void log_each(double* x, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) x[i] = std::log(x[i]);
}
#endif

} // namespace mic
