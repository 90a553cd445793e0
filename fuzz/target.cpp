// One libFuzzer target per harness of harnesses.hpp: MIC_FUZZ_HARNESS names it (fuzz/CMakeLists.txt).
#include <cstdio>
#include <cstdlib>

#include "fuzz/harness/harnesses.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        mic::fuzz::MIC_FUZZ_HARNESS(data, size);
    } catch (const mic::fuzz::harness_failure& e) {  // an oracle found mic wrong: a finding
        std::fprintf(stderr, "harness failure: %s\n", e.what());
        std::abort();
    }
    // Any other exception escapes: libFuzzer reports it as a crash.
    return 0;
}
