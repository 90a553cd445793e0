#include "launch/options/cascade_limit.hpp"

#include <unistd.h>

#include <cmath>

#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"

namespace mic::cli {
namespace {

double physical_memory_bytes() {
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? double(pages) * double(page) : HUGE_VAL;  // unknown: no limit
}

std::string gigabytes(double bytes) { return shortest(std::round(bytes / 1e8) / 10) + " GB"; }

} // namespace

double dense_sigma_bytes(std::int64_t n_cascades) { return 8.0 * double(n_cascades) * double(n_cascades); }

void check_dense_sigma_fits(std::int64_t n_cascades, const std::string& source, int copies) {
    const double needed = copies * dense_sigma_bytes(n_cascades), memory = physical_memory_bytes();
    if (!(needed > memory)) return;
    throw input_error(source + ": " + with_thousands(n_cascades) + " cascades; the models hold Sigma as a dense " +
                      "cascades x cascades matrix, " + gigabytes(dense_sigma_bytes(n_cascades)) + " each and about " +
                      std::to_string(copies) + " at once (" + gigabytes(needed) + "), more than this machine's " +
                      gigabytes(memory) + "; merge rare cascades before importing (e.g. keep the largest few thousand and "
                      "map the rest to one 'other' cascade)");
}

} // namespace mic::cli
