// Paths to the shared corpus and a file reader for the table tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "bullion/tables.h"

namespace bullion::tables::testing {

inline std::string shared_path(const std::string& relative) { return std::string(BULLION_SHARED_DIR) + "/" + relative; }

inline std::string corpus_etc(const std::string& name) { return shared_path("corpus/etc/" + name); }
inline std::string golden_root() { return shared_path("golden/root"); }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace bullion::tables::testing
