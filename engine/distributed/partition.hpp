#pragma once
// Which users a rank owns.
#include <cstdint>
#include <vector>

namespace mic {

// Contiguous blocks of as equal size as possible: rank r owns [r*n/size, (r+1)*n/size).
std::vector<std::int32_t> block_partition(std::int32_t n_users, int rank, int size);

} // namespace mic
