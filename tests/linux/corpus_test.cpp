// Every real audit.log sample in ../shared/corpus/linux translates with
// every event accounted for, and what comes out is well-formed BSM whose
// facts match the source records.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bullion/bsm/facts.h"
#include "bullion/bsm/reader.h"
#include "bullion/bsm/token.h"
#include "bullion/linux/translate.h"
#include "translate_helpers.h"

namespace bullion::linuxaudit {
namespace {

namespace fs = std::filesystem;
const fs::path kCorpus = fs::path(BULLION_SHARED_DIR) / "corpus" / "linux";

std::vector<fs::path> corpus_logs() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    const auto ext = entry.path().extension();
    if ((ext == ".log" || ext == ".txt") && entry.path().filename() != "PROVENANCE.txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct FileResult {
  TranslateStats stats;
  std::vector<uint8_t> trail;  // records back to back
  std::vector<bsm::RecordFacts> facts;
};

FileResult translate_file(const fs::path& path) {
  FileResult out;
  auto stats = translate_log(
      path.string(), [&](std::span<const uint8_t> r) { out.trail.insert(out.trail.end(), r.begin(), r.end()); });
  EXPECT_TRUE(stats.ok()) << path;
  if (stats.ok()) out.stats = *stats;
  return out;
}

// Frames the trail with the reader, walks every token, gathers facts.
void decode_trail(FileResult& result, const std::string& name) {
  auto reader = bsm::RecordReader::from_memory(result.trail, name);
  bsm::RecordView view;
  while (true) {
    auto next = reader->next(view);
    if (next == bsm::RecordReader::Next::End) break;
    ASSERT_EQ(next, bsm::RecordReader::Next::Record) << name << ": " << reader->error().describe();
    bsm::TokenCursor cursor(view.bytes, view.offset, bsm::Dialect::OpenBsm);
    bsm::DecodedToken token;
    size_t tokens = 0;
    while (cursor.next(token)) {
      EXPECT_NE(token.kind, bsm::TokenKind::Unknown) << name << " offset " << view.offset;
      ++tokens;
    }
    EXPECT_FALSE(cursor.failed()) << name << ": " << cursor.error().describe();
    EXPECT_GE(tokens, 4u);  // header, subject, return, trailer at least
    bsm::RecordFacts facts;
    EXPECT_TRUE(bsm::extract_facts(view.bytes, facts).ok());
    EXPECT_TRUE(facts.has_subject && facts.has_return) << name;
    result.facts.push_back(facts);
  }
}

std::string describe(const TranslateStats& s) {
  std::ostringstream out;
  out << "records=" << s.records_in << " events=" << s.events_in << " translated=" << s.events_out;
  for (const auto& [reason, n] : s.skipped) out << " | skipped " << n << " " << reason;
  for (const auto& [reason, n] : s.rejected) out << " | rejected " << n << " " << reason;
  for (const auto& [type, n] : s.unused_records) out << " | unused " << n << " " << type;
  return out.str();
}

TEST(LinuxCorpus, EveryFileTranslatesWithEveryEventAccountedFor) {
  const auto files = corpus_logs();
  ASSERT_GE(files.size(), 10u);
  for (const fs::path& path : files) {
    SCOPED_TRACE(path.filename().string());
    FileResult result = translate_file(path);
    const TranslateStats& s = result.stats;
    EXPECT_GT(s.records_in, 0u);
    EXPECT_GT(s.events_in, 0u);
    EXPECT_EQ(s.events_in, s.events_out + s.skipped_total());
    // Issue 10: every event is a record, every line a record, nothing left over.
    EXPECT_EQ(s.events_in, s.events_out);
    EXPECT_TRUE(s.skipped.empty());
    EXPECT_TRUE(s.rejected.empty());
    EXPECT_TRUE(s.unused_records.empty());
    decode_trail(result, path.filename().string());
    EXPECT_EQ(result.facts.size(), s.events_out);
    std::cout << path.filename().string() << ": " << describe(s) << "\n";
  }
}

TEST(LinuxCorpus, ContentDetectionAcceptsLogsAndRejectsTrails) {
  for (const fs::path& path : corpus_logs()) {
    if (path.extension() != ".log" && path.extension() != ".txt") continue;  // .txt: after comments
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> head(4096);
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
    EXPECT_TRUE(looks_like_linux_audit_log(head)) << path;
  }
  const uint8_t bsm_header[] = {0x14, 0, 0, 0, 0x30, 0x0b, 0, 23};
  EXPECT_FALSE(looks_like_linux_audit_log(bsm_header));
  const std::string_view comment_only = "# just a comment\n";
  EXPECT_FALSE(
      looks_like_linux_audit_log({reinterpret_cast<const uint8_t*>(comment_only.data()), comment_only.size()}));
  const std::string_view text = "hello world\n";
  EXPECT_FALSE(looks_like_linux_audit_log({reinterpret_cast<const uint8_t*>(text.data()), text.size()}));
}

TEST(LinuxCorpus, MissingFileIsAnError) {
  auto stats = translate_log("/nonexistent/audit.log", [](std::span<const uint8_t>) {});
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().code, Errc::NotFound);
}

FileResult decoded(const std::string& name) {
  FileResult result = translate_file(kCorpus / name);
  decode_trail(result, name);
  return result;
}

TEST(LinuxCorpus, LaurelExecveFactsMatchTheRecords) {
  FileResult r = decoded("laurel_record-execve.txt");
  ASSERT_EQ(r.facts.size(), 1u);
  const auto& f = r.facts[0];
  EXPECT_EQ(f.event, 23);
  EXPECT_EQ(f.seconds, 1615114232u);
  EXPECT_EQ(f.msec, 375u);
  EXPECT_EQ(f.subject.auid, 1000u);
  EXPECT_EQ(f.subject.euid, 0u);
  EXPECT_EQ(f.subject.pid, 10884u);
  EXPECT_EQ(f.subject.sid, 1u);
  EXPECT_EQ(f.first_path, "/usr/bin/whoami");
  EXPECT_EQ(f.last_path, "/lib64/ld-linux-x86-64.so.2");
  EXPECT_EQ(testing::exec_args_of(f), std::vector<std::string>{"whoami"});
  EXPECT_TRUE(r.stats.unused_records.empty());  // PROCTITLE rides as text
}

TEST(LinuxCorpus, HexArgumentOfPerlReverseShellIsDecoded) {
  FileResult r = decoded("laurel_record-perl-reverse-shell.txt");
  ASSERT_EQ(r.facts.size(), 1u);
  auto args = testing::exec_args_of(r.facts[0]);
  ASSERT_EQ(args.size(), 3u);
  EXPECT_EQ(args[0], "perl");
  EXPECT_EQ(args[1], "-e");
  EXPECT_TRUE(args[2].starts_with("use Socket;$i=\"10.0.0.1\";$p=1234;")) << args[2];
}

TEST(LinuxCorpus, LongSplitArgumentIsJoined) {
  FileResult r = decoded("laurel_record-execve-long.txt");
  ASSERT_GE(r.facts.size(), 1u);
  auto args = testing::exec_args_of(r.facts[0]);
  ASSERT_EQ(args.size(), 2u);
  EXPECT_EQ(args[0], "/bin/echo");
  // a1_len=16384 counts hex digits; three chunks across three EXECVE records.
  EXPECT_EQ(args[1].size(), 8192u);
  // The sample marks its chunk edges: "ba..ac" + "da..ae" + "fa..ag".
  EXPECT_EQ(args[1].substr(3731, 2), "cd");
  EXPECT_EQ(args[1].substr(7477, 2), "ef");
  EXPECT_EQ(args[1].back(), 'g');
  EXPECT_EQ(args[1][0], 'b');
}

TEST(LinuxCorpus, ExecveWith48ArgumentsKeepsThemAll) {
  FileResult r = decoded("auditusp_test4.log");
  auto it = std::find_if(r.facts.begin(), r.facts.end(), [](const auto& f) { return f.event == 23; });
  ASSERT_NE(it, r.facts.end());
  EXPECT_EQ(it->exec_argc, 48u);
  auto args = testing::exec_args_of(*it);
  EXPECT_EQ(args.front(), "/bin/sh");
  EXPECT_EQ(it->subject.auid, 573u);
  EXPECT_EQ(it->subject.pid, 105183u);
}

TEST(LinuxCorpus, ConnectRecordsCarrySocketAddresses) {
  FileResult r = decoded("laurel_record-connect.txt");
  ASSERT_EQ(r.facts.size(), 2u);
  EXPECT_EQ(r.facts[0].event, 32);
  EXPECT_EQ(r.facts[0].socket.family, 2);
  EXPECT_EQ(r.facts[0].socket.port, 0x2bcb);
  EXPECT_EQ(r.facts[0].socket.addr[0], 127);
  EXPECT_EQ(r.facts[1].socket.family, 26);
  EXPECT_EQ(r.facts[1].return_errno, 150);  // EINPROGRESS
}

TEST(LinuxCorpus, FailedOpenInPostfixSpoolIsAbsoluteWithEacces) {
  FileResult r = decoded("auditusp_test.log");
  auto it = std::find_if(r.facts.begin(), r.facts.end(), [](const auto& f) { return f.event == 72; });
  ASSERT_NE(it, r.facts.end());
  EXPECT_EQ(it->first_path, "/var/spool/postfix/maildrop");
  EXPECT_EQ(it->return_errno, 13);
  EXPECT_EQ(it->subject.auid, 4294967295u);
  EXPECT_EQ(it->subject.pid, 13010u);
}

}  // namespace
}  // namespace bullion::linuxaudit

namespace bullion::linuxaudit {
namespace {

// Every prefix of every line of two samples: cut-off fields, stamps and hex
// must be rejected or translated, never crash, and keep the accounting.
TEST(LinuxCorpus, EveryPrefixOfRealLinesIsHandled) {
  for (const char* name :
       {"laurel_record-connect.txt", "laurel_record-perl-reverse-shell.txt", "golibaudit_audit-rhel7.log"}) {
    std::ifstream in(kCorpus / name);
    std::string line;
    std::vector<std::string> lines;
    while (std::getline(in, line)) lines.push_back(line);
    Translator t([](std::span<const uint8_t> r) {
      bsm::RecordFacts facts;
      EXPECT_TRUE(bsm::extract_facts(r, facts).ok());
    });
    for (const std::string& l : lines)
      for (size_t n = 0; n <= l.size(); n += 3) t.feed_log_line(std::string_view(l).substr(0, n));
    t.flush();
    const TranslateStats& s = t.stats();
    EXPECT_EQ(s.events_in, s.events_out + s.skipped_total()) << name;
  }
}

}  // namespace
}  // namespace bullion::linuxaudit
