# Writes INPUT into OUTPUT as a C++ raw string literal, for #include inside
# an initializer. Run as `cmake -DINPUT=... -DOUTPUT=... -P EmbedFile.cmake`.
file(READ "${INPUT}" content)
string(FIND "${content}" ")gnnlib\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )gnnlib\"")
endif()
file(WRITE "${OUTPUT}.tmp" "R\"gnnlib(${content})gnnlib\"\n")
# Rewriting only on change keeps a touched but unchanged library from
# rebuilding everything that includes it.
configure_file("${OUTPUT}.tmp" "${OUTPUT}" COPYONLY)
file(REMOVE "${OUTPUT}.tmp")
