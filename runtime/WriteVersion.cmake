# Writes OUTPUT, the C++ string literal of gnnc's version: VERSION (the
# project's) and, in a git checkout, `git describe` of SOURCE_DIR, so that
# two builds of different sources never claim the same version. Run at
# build time as `cmake -DVERSION=... -DSOURCE_DIR=... -DOUTPUT=... -P
# WriteVersion.cmake`; rewrites OUTPUT only when the text changes.
set(text "gnnc ${VERSION}")
find_program(GIT_EXECUTABLE git)
if(GIT_EXECUTABLE)
  execute_process(
    COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" describe --always --dirty
    OUTPUT_VARIABLE described OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE failed ERROR_QUIET)
  if(NOT failed AND described)
    string(APPEND text " git ${described}")
  endif()
endif()
file(WRITE "${OUTPUT}.tmp" "\"${text}\"\n")
configure_file("${OUTPUT}.tmp" "${OUTPUT}" COPYONLY)
file(REMOVE "${OUTPUT}.tmp")
