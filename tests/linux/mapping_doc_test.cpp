// docs/linux.md shows the mapping tables the code uses; they must agree.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "linux/mapping.h"

namespace bullion::linuxaudit {
namespace {

constexpr std::string_view kMarker = "<!-- generated from src/linux/mapping.cpp by mapping_tables_markdown() -->\n";

TEST(LinuxMappingDoc, DocsShowTheTablesTheCodeUses) {
  std::ifstream in(std::string(BULLION_SOURCE_DIR) + "/docs/linux.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const size_t at = doc.find(kMarker);
  ASSERT_NE(at, std::string::npos) << "docs/linux.md lacks the marker line";
  const std::string generated = mapping_tables_markdown();
  if (doc.substr(at + kMarker.size()) != generated) {
    const std::string fresh = std::string(BULLION_BIN_DIR) + "/../linux-mapping-tables.md";
    std::ofstream(fresh) << generated;
    ADD_FAILURE() << "docs/linux.md differs from the tables; the current text is in " << fresh
                  << ": put it after the marker line";
  }
}

}  // namespace
}  // namespace bullion::linuxaudit
