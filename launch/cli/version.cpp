#include "launch/cli/version.hpp"

#include <H5public.h>
#include <Eigen/Core>
#include <boost/version.hpp>

#include "launch/build_info.hpp"
#include "launch/mpi_environment.hpp"

namespace mic::cli {

std::string version_string() { return std::string(MIC_VERSION) + " (git " + MIC_GIT_REVISION + ")"; }

std::string version_report() {
    unsigned major = 0, minor = 0, release = 0;
    H5get_libversion(&major, &minor, &release);
    return "mic " + version_string() + "\n" +
           "  HDF5 " + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release) +
           " (parallel)\n" +
           "  " + mpi_library_version() + "\n" +
           "  Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
           std::to_string(EIGEN_MINOR_VERSION) + "\n" +
           "  Boost " + std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) + "\n" +
           "  build type " + MIC_BUILD_TYPE + ", " + MIC_COMPILER + "\n";
}

} // namespace mic::cli
