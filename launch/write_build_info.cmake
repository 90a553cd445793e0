# Writes launch/build_info.hpp (from build_info.hpp.in) at every build, not only when CMake
# configures, so that `mic --version` names the commit the binary was built from after an incremental
# rebuild too. "-dirty" marks a build from a work tree with uncommitted changes to tracked files.
# configure_file leaves the header untouched when its text is unchanged: nothing recompiles then.
#
# Called by the mic_build_info target with -DSOURCE_DIR, -DTEMPLATE, -DOUTPUT, -DPROJECT_VERSION,
# -DCMAKE_BUILD_TYPE, -DCMAKE_CXX_COMPILER_ID, -DCMAKE_CXX_COMPILER_VERSION.
execute_process(COMMAND git -C ${SOURCE_DIR} rev-parse --short HEAD
                OUTPUT_VARIABLE MIC_GIT_REVISION OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                RESULT_VARIABLE head_status)
if(NOT head_status EQUAL 0 OR NOT MIC_GIT_REVISION)
  set(MIC_GIT_REVISION "unknown")
else()
  execute_process(COMMAND git -C ${SOURCE_DIR} diff --quiet HEAD -- RESULT_VARIABLE dirty ERROR_QUIET)
  if(dirty EQUAL 1)
    string(APPEND MIC_GIT_REVISION "-dirty")
  endif()
endif()
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
