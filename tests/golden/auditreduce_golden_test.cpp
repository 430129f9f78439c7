// Every auditreduce row of ../shared/golden/MANIFEST.tsv.
//
// OpenBSM's auditreduce looks only at 32-bit header, subject, process and
// return tokens; we look at every width (COMPAT.md). So:
//  * on the records that carry only 32-bit variants of those tokens, our
//    output is byte-identical to OpenBSM's, in the same order;
//  * every other record we select or skip differently carries a 64-bit or
//    extended variant (the test lists them);
//  * on a trail made of only such 32-bit records, the whole output is
//    byte-identical, alone and piped into praudit -l.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "bullion/bsm/reader.h"
#include "bullion/bsm/token.h"
#include "support/run.h"

namespace bullion::testing {
namespace {

using Row = ManifestRow;

std::vector<Row> manifest_rows(const std::string& tool) {
  return bullion::testing::manifest_rows([&](const std::string& t) { return t == tool; });
}

using Record = std::string;

// Whole records of a byte stream, up to the first damage.
std::vector<Record> records_of(const std::string& bytes) {
  auto reader = bsm::RecordReader::from_memory(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), "mem");
  std::vector<Record> out;
  bsm::RecordView v;
  while (reader->next(v) == bsm::RecordReader::Next::Record)
    out.emplace_back(reinterpret_cast<const char*>(v.bytes.data()), v.bytes.size());
  return out;
}

// True when the record carries a header, subject, process or return token
// other than the 32-bit one: the tokens OpenBSM's auditreduce skips.
bool has_wide_variant(const Record& r) {
  using bsm::TokenKind;
  bsm::TokenCursor cursor(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(r.data()), r.size()), 0,
                          bsm::Dialect::Full);
  bsm::DecodedToken t;
  while (cursor.next(t)) {
    const uint16_t examined = bsm::TF_HEADER | bsm::TF_SUBJECT | bsm::TF_PROCESS | bsm::TF_RETURN;
    if (!(t.info().flags & examined)) continue;
    if (t.kind != TokenKind::Header32 && t.kind != TokenKind::Subject32 && t.kind != TokenKind::Process32 &&
        t.kind != TokenKind::Return32)
      return true;
  }
  return false;
}

std::string join_narrow(const std::vector<Record>& rs) {
  std::string out;
  for (const Record& r : rs)
    if (!has_wide_variant(r)) out += r;
  return out;
}

std::string test_name(const Row& r) {
  std::string name = r.output;
  for (char& c : name)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

std::vector<std::string> argv_for(const Row& r, const std::string& trail) {
  const std::string golden = shared_dir() + "/golden";
  std::vector<std::string> argv = {"auditreduce", "--root", golden + "/root"};
  for (const std::string& w : split_words(r.flags)) argv.push_back(w);
  argv.push_back(trail);
  return argv;
}

class AuditreduceGolden : public ::testing::TestWithParam<Row> {};

TEST_P(AuditreduceGolden, NarrowRecordsMatchAndEveryDifferenceIsAWideToken) {
  const Row& r = GetParam();
  const std::string golden = shared_dir() + "/golden";
  const RunResult got = run_tool(argv_for(r, golden + "/" + r.input));
  const std::string want = read_file(golden + "/" + r.output);
  const auto ours = records_of(got.out), theirs = records_of(want);

  // Same bytes, same order, on everything OpenBSM can judge.
  EXPECT_TRUE(join_narrow(ours) == join_narrow(theirs)) << r.output;

  // The rest: list it, and make sure it is all wide-token records.
  size_t extra = 0, missing = 0;
  for (const Record& rec : ours)
    if (std::find(theirs.begin(), theirs.end(), rec) == theirs.end()) {
      ++extra;
      EXPECT_TRUE(has_wide_variant(rec)) << r.output << ": extra record without a wide token";
    }
  for (const Record& rec : theirs)
    if (std::find(ours.begin(), ours.end(), rec) == ours.end()) {
      ++missing;
      EXPECT_TRUE(has_wide_variant(rec)) << r.output << ": missing record without a wide token";
    }
  RecordProperty("records_ours", static_cast<int>(ours.size()));
  RecordProperty("records_openbsm", static_cast<int>(theirs.size()));
  RecordProperty("width_extra", static_cast<int>(extra));
  RecordProperty("width_missing", static_cast<int>(missing));
  std::cout << "[ width bug ] " << r.output << ": identical=" << (got.out == want) << " extra=" << extra
            << " missing=" << missing << "\n";

  const bool damaged = r.input.find("/c0") != std::string::npos;
  EXPECT_EQ(got.exit_code, damaged ? 1 : 0) << got.err;
  if (damaged) {
    EXPECT_NE(got.err.find(": offset "), std::string::npos) << got.err;
  }
}

// A trail of only the records OpenBSM can judge fully: the whole output,
// alone and through praudit -l, is byte-identical to OpenBSM's selection
// of those records.
TEST_P(AuditreduceGolden, NarrowOnlyTrailIsByteIdenticalAloneAndThroughPraudit) {
  const Row& r = GetParam();
  const std::string golden = shared_dir() + "/golden";
  const auto trail = records_of(read_file(golden + "/" + r.input));
  std::string narrow;
  for (const Record& rec : trail)
    if (rec[0] == 0x11 || !has_wide_variant(rec)) narrow += rec;
  const std::string path = ::testing::TempDir() + "/narrow_" + test_name(r) + ".bsm";
  std::ofstream(path, std::ios::binary) << narrow;

  std::string want;
  for (const Record& rec : records_of(read_file(golden + "/" + r.output)))
    if (rec[0] == 0x11 || !has_wide_variant(rec)) want += rec;
  const RunResult got = run_tool(argv_for(r, path));
  EXPECT_EQ(got.exit_code, 0) << got.err;
  ASSERT_EQ(got.out.size(), want.size()) << r.output;
  EXPECT_TRUE(got.out == want) << r.output;

  const std::string out_path = path + ".out";
  std::ofstream(out_path, std::ios::binary) << got.out;
  const std::string want_path = path + ".want";
  std::ofstream(want_path, std::ios::binary) << want;
  const RunResult ours_l = run_tool({"praudit", "-l", "--root", golden + "/root", out_path});
  const RunResult want_l = run_tool({"praudit", "-l", "--root", golden + "/root", want_path});
  EXPECT_TRUE(ours_l.out == want_l.out) << r.output;
}

// Through praudit -l (one line per record), our selection prints exactly as
// OpenBSM's pipe does on every record OpenBSM can judge; the lines that
// differ all belong to records with a wide token. Decided per record, never
// by comparing the whole answer first.
TEST_P(AuditreduceGolden, PipeIntoPrauditMatchesOnEveryNarrowRecord) {
  const Row& r = GetParam();
  const std::string golden = shared_dir() + "/golden";
  const RunResult got = run_tool(argv_for(r, golden + "/" + r.input));
  std::string piped = r.output;
  piped.replace(piped.size() - 4, 4, ".praudit_l.txt");
  const std::string tmp = ::testing::TempDir() + "/pipe_" + test_name(r) + ".bsm";
  std::ofstream(tmp, std::ios::binary) << got.out;
  const RunResult l = run_tool({"praudit", "-l", "--root", golden + "/root", tmp});

  // Strings may hold newlines, so a record's text runs until the next line
  // that starts a header or file token (the generated trails put no such
  // words after a newline inside a string; the count check below says so).
  const auto narrow_lines = [](const std::vector<Record>& records, const std::string& text) {
    std::vector<std::string> texts;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (texts.empty() || line.starts_with("header") || line.starts_with("file,")) texts.emplace_back();
      texts.back() += line + "\n";
    }
    EXPECT_EQ(texts.size(), records.size()) << "one praudit -l line per record";
    std::string out;
    for (size_t i = 0; i < std::min(texts.size(), records.size()); ++i)
      if (records[i][0] == 0x11 || !has_wide_variant(records[i])) out += texts[i];
    return out;
  };
  const std::string ours = narrow_lines(records_of(got.out), l.out);
  const std::string theirs =
      narrow_lines(records_of(read_file(golden + "/" + r.output)), read_file(golden + "/" + piped));
  EXPECT_FALSE(theirs.empty()) << piped;
  EXPECT_TRUE(ours == theirs) << piped;
}

INSTANTIATE_TEST_SUITE_P(Manifest, AuditreduceGolden, ::testing::ValuesIn(manifest_rows("auditreduce")),
                         [](const auto& info) { return test_name(info.param); });

TEST(AuditreduceGoldenManifest, HasRows) { EXPECT_GE(manifest_rows("auditreduce").size(), 25u); }

}  // namespace
}  // namespace bullion::testing
