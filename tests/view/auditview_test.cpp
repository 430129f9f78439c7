// auditview as a tool: the JSON document, the page that embeds it, damage,
// and inputs from files, directories and standard input.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/run.h"
#include "tools/trail_builder.h"

namespace bullion::testing {
namespace {

// python3's json module judges the document and answers questions about it:
// `expr` is evaluated with `d` the parsed document; its value is printed
// as JSON.
std::string ask_json(const std::string& json, const std::string& expr) {
  const std::string doc = TrailBuilder::write_bytes("view_doc.json", std::vector<uint8_t>(json.begin(), json.end()));
  const RunResult r = run_tool({"/usr/bin/python3", "-c",
                                "import json,sys\n"
                                "d=json.load(open(sys.argv[1],encoding='utf-8'))\n"
                                "P={p['id']:p for p in d['processes']}\n"
                                "print(json.dumps(eval(sys.argv[2]),ensure_ascii=False,sort_keys=True))\n",
                                doc, expr});
  EXPECT_EQ(r.exit_code, 0) << r.err.substr(0, 2000);
  std::string out = r.out;
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// The text between the data element's tags.
std::string embedded_data(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"auditview-data\">";
  const size_t start = html.find(open);
  if (start == std::string::npos) return "(no data element)";
  const size_t end = html.find("</script>", start);
  return html.substr(start + open.size(), end - start - open.size());
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TrailBuilder small_tree() {
  TrailBuilder t;
  t.exec(10, "/usr/sbin/sshd", {"sshd", "-D"});
  t.fork(10, 11);
  t.exec(11, "/bin/bash", {"-bash"});
  t.fork(11, 12);
  t.exec(12, "/bin/cat", {"cat", "/etc/passwd"});
  t.file_event(12, kAueOpenR, "/etc/passwd");
  t.exit(12);
  t.exec(11, "/usr/bin/ssh", {"ssh", "host"}, {}, 13);
  t.connect(11, {10, 0, 0, 7}, 22);
  return t;
}

TEST(Auditview, JsonHoldsTheTreeWithCommandsFilesPeersAndFailures) {
  const auto r = run_tool({"auditview", "--json", "--passwd", write_passwd(), small_tree().write("tree.bsm")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ask_json(r.out, "[(p['id'], p['pid'], p['parent'], p['origin']) for p in d['processes']]"),
            R"([[1, 10, 0, "seen"], [2, 11, 1, "fork"], [3, 12, 2, "fork"]])");
  EXPECT_EQ(ask_json(r.out, "[P[2]['argv'], P[2]['program'], P[2]['user'], P[2]['uid']]"),
            R"([["-bash"], "/bin/bash", "alice", 1000])");
  EXPECT_EQ(ask_json(r.out, "[P[3]['ending'], P[3]['end_ms'] - P[3]['start_ms']]"), R"(["exit", 3000])");
  EXPECT_EQ(ask_json(r.out, "[(f['path'], f.get('read'), f.get('exec')) for f in P[3]['files']]"),
            R"([["/bin/cat", null, 1], ["/etc/passwd", 1, null]])");
  EXPECT_EQ(ask_json(r.out, "[(c['event'], c['argv'], c.get('error')) for c in P[2]['commands']]"),
            R"([["execve", ["-bash"], null], ["execve", ["ssh", "host"], "EACCES"]])");
  EXPECT_EQ(ask_json(r.out, "[(f['error'], f['error_text'], f['count']) for f in P[2]['failures']]"),
            R"([["EACCES", "Permission denied", 1]])");
  EXPECT_EQ(ask_json(r.out, "[(x['address'], x['port'], x['count']) for x in P[2]['peers']]"),
            R"([["10.0.0.7", 22, 1]])");
  EXPECT_EQ(ask_json(r.out, "[d['records'], d['damage_count'], sum(d['histogram']['counts'])]"), "[9, 0, 9]");
}

TrailBuilder hostile_trail() {
  TrailBuilder t;
  t.exec(66, "/tmp/</script><script>document.title='pwned'</script>",
         {"sh", "-c", "<img src=x onerror=\"document.title='pwned'\">", "\xff\xfe", "a\nb", "<!--", "\xe2\x80\xa8"});
  t.file_event(66, kAueOpenR, "\"><h1 id=pwned>x</h1><!--");
  t.file_event(66, kAueOpenW, "/tmp/&amp;&lt;\x1b[31m\n");
  return t;
}

TEST(Auditview, JsonCannotCloseTheScriptElementAndKeepsExactStrings) {
  const auto r = run_tool({"auditview", "--json", hostile_trail().write("hostile.bsm")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find_first_of("<>&"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\xe2\x80\xa8"), std::string::npos) << "U+2028 ends a line in older JavaScript";
  EXPECT_EQ(ask_json(r.out, "P[1]['commands'][0]['argv']"),
            "[\"sh\", \"-c\", \"<img src=x onerror=\\\"document.title='pwned'\\\">\", \"\xef\xbf\xbd\xef\xbf\xbd\", "
            "\"a\\nb\", \"<!--\", \"\xe2\x80\xa8\"]");
  EXPECT_EQ(ask_json(r.out, "P[1]['commands'][0]['argv_hex'][3]"), "\"fffe\"") << "exact bytes beside U+FFFD";
  EXPECT_EQ(ask_json(r.out, "P[1]['commands'][0]['path']"),
            "\"/tmp/</script><script>document.title='pwned'</script>\"");
}

TEST(Auditview, PageEmbedsExactlyTheJsonAndNothingFromOutside) {
  const std::string trail = hostile_trail().write("embed.bsm");
  const auto json = run_tool({"auditview", "--json", trail});
  const std::string page = ::testing::TempDir() + "bullion_view_embed.html";
  const auto r = run_tool({"auditview", "-o", page, trail});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = read_file(page);
  ASSERT_FALSE(json.out.empty());
  EXPECT_EQ(embedded_data(html) + "\n", json.out);
  EXPECT_EQ(count(html, "</script"), 2u) << "the data element's end and the script's end, no other";
  EXPECT_EQ(count(html, "<script"), 2u);
  EXPECT_EQ(count(html, "<!--"), 0u);
  // Nothing is loaded from elsewhere (the browser test watches the requests too).
  std::string page_only = html;
  page_only.erase(html.find(embedded_data(html)), embedded_data(html).size());
  for (const char* loader : {"src=", "href=", "url(", "@import", "fetch(", "XMLHttpRequest", "WebSocket", "https:"}) {
    EXPECT_EQ(page_only.find(loader), std::string::npos) << loader;
  }
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos) << "the policy forbids fetching anything";
}

TEST(Auditview, DamageIsReportedWithItsOffsetAndShownInTheDocument) {
  TrailBuilder t;
  t.exec(1, "/bin/a", {"a"});
  std::vector<uint8_t> bytes = t.bytes();
  const size_t damage_at = bytes.size();
  bytes.insert(bytes.end(), {0x14, 0x00, 0x00});
  TrailBuilder after;
  after.exec(2, "/bin/b", {"b"});
  bytes.insert(bytes.end(), after.bytes().begin(), after.bytes().end());
  const auto r = run_tool({"auditview", "--json", TrailBuilder::write_bytes("view_damaged.bsm", bytes)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("offset " + std::to_string(damage_at)), std::string::npos) << r.err;
  EXPECT_EQ(ask_json(r.out, "[d['damage_count'], [p['program'] for p in d['processes']]]"),
            R"([1, ["/bin/a", "/bin/b"]])");
  EXPECT_NE(ask_json(r.out, "d['damage'][0]['message']").find("offset " + std::to_string(damage_at)),
            std::string::npos);
}

TEST(Auditview, DamagedTokenBodyIsReportedNotSkipped) {
  TrailBuilder t;
  t.exec(1, "/bin/a", {"a", "b"});
  std::vector<uint8_t> bytes = t.bytes();
  // The exec args token claims more strings than its body holds: its last
  // string runs into the subject token. Cut the count byte up.
  const size_t args_token = 18 + 3 + 7;  // after header32 and path "/bin/a"
  ASSERT_EQ(bytes[args_token], 0x3c);
  bytes[args_token + 4] = 0x7f;  // low byte of the count: 127 strings
  const auto r = run_tool({"auditview", "--json", TrailBuilder::write_bytes("view_badtoken.bsm", bytes)});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("auditview: "), std::string::npos);
  EXPECT_NE(r.err.find("offset "), std::string::npos) << r.err;
  EXPECT_EQ(ask_json(r.out, "d['damage_count']"), "1");
}

TEST(Auditview, ReadsStandardInputAndDirectories) {
  const TrailBuilder t = small_tree();
  const std::string trail = t.write("stdin.bsm");
  const auto piped = run_tool({"auditview", "--json"}, trail);
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(ask_json(piped.out, "[len(d['processes']), d['inputs']]"), R"([3, ["-"]])");
  const std::string dir = ::testing::TempDir() + "bullion_view_dir_" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(trail, dir + "/20231114221320.20231114221330",
                             std::filesystem::copy_options::overwrite_existing);
  const auto from_dir = run_tool({"auditview", "--json", dir});
  EXPECT_EQ(from_dir.exit_code, 0) << from_dir.err;
  EXPECT_EQ(ask_json(from_dir.out, "len(d['processes'])"), "3");
  std::filesystem::remove_all(dir);
}

TEST(Auditview, LimitsAreOptionsAndWhatTheyLeaveOutIsCounted) {
  TrailBuilder t;
  for (uint32_t pid = 100; pid < 110; ++pid) t.file_event(pid, kAueOpenR, "/f" + std::to_string(pid));
  const auto r = run_tool({"auditview", "--json", "--max-processes", "4", t.write("limits.bsm")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ask_json(r.out, "[len(d['processes']), d['untracked_processes'], d['untracked_records']]"), "[4, 6, 6]");
  EXPECT_EQ(run_tool({"auditview", "--json", "--max-files", "none", "x"}).exit_code, 2);
}

}  // namespace
}  // namespace bullion::testing
