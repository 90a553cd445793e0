#pragma once
// The models hold Σ as a dense C×C matrix, and a fit keeps several at once (parameter sets, the
// Σ-step's gradient and work arrays): 8·C² bytes each. A log with tens of thousands of cascades (URLs
// as cascades) would allocate gigabytes and fail after minutes; this refuses it before any work.
#include <cstdint>
#include <string>

namespace mic::cli {

// Bytes of one dense C×C matrix of doubles.
double dense_sigma_bytes(std::int64_t n_cascades);

// Throws input_error when `copies` dense C×C matrices exceed this machine's physical memory: names
// `source` (the file or option that gave C), the memory needed and what to do.
void check_dense_sigma_fits(std::int64_t n_cascades, const std::string& source, int copies = 8);

} // namespace mic::cli
