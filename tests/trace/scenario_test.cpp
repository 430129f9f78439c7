// Scenarios for the language extensions (group-by, state not, count ...
// within, once per), end to end: a crafted trail written here, the
// bsmtrace binary run over it with --json, and the alerts read back.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bullion/bsm/encoder.h"
#include "support/run.h"
#include "trace_fixtures.h"

namespace bullion::trace {
namespace {

namespace fs = std::filesystem;
using bullion::testing::run_tool;
using testing::event_number;

struct Actor {
  uint32_t auid = 1001;
  uint8_t address[4] = {192, 0, 2, 10};
  uint32_t pid = 500;
};

// Builds a trail and remembers where each record starts, so tests can
// check the offsets alerts point at.
class Trail {
 public:
  // Returns the record's byte offset.
  uint64_t add(const char* event, uint32_t seconds, const Actor& who, uint8_t err, const std::string& path = {},
               const std::string& text = {}) {
    bsm::RecordBuilder b;
    uint8_t host[4] = {10, 0, 0, 1};
    b.begin_header32_ex(event_number(event), 0, seconds, 0, host);
    bsm::Subject s;
    s.auid = s.euid = s.ruid = who.auid;
    s.pid = s.sid = who.pid;
    s.port = 4242;
    std::memcpy(s.addr, who.address, 4);
    b.subject32_ex(s);
    if (!path.empty()) b.path(path);
    if (!text.empty()) b.text(text);
    b.return32(err, err ? 0xffffffffu : 0);
    const auto record = b.finish();
    const uint64_t offset = bytes_.size();
    bytes_.insert(bytes_.end(), record.begin(), record.end());
    return offset;
  }
  std::string write(const fs::path& path) const {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes_.data()), bytes_.size());
    return path.string();
  }

 private:
  std::vector<uint8_t> bytes_;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(text.substr(start, nl - start));
  return lines;
}

size_t occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class Scenario : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bsmtrace_scenario_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "passwd") << "root:*:0:0::/root:/bin/sh\nalice:*:1001:20::/home/alice:/bin/sh\n"
                                      "bob:*:1002:20::/home/bob:/bin/sh\ncarol:*:1003:20::/home/carol:/bin/sh\n"
                                      "clamav:*:120:120::/var/lib/clamav:/bin/false\n";
    std::ofstream(dir_ / "group") << "wheel:*:0:root\nstaff:*:20:\nclamav:*:120:\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  // Runs bsmtrace --json over the trail with this policy.
  bullion::testing::RunResult run(const std::string& policy, const Trail& trail) {
    std::ofstream(dir_ / "policy.conf") << policy;
    return run_tool({"bsmtrace", "--json", "--passwd", (dir_ / "passwd").string(), "--group", (dir_ / "group").string(),
                     "-f", (dir_ / "policy.conf").string(), trail.write(dir_ / "scenario.bsm")});
  }
  fs::path dir_;
};

const char kLogins[] = "define set $login <auditevent> { AUE_openssh, AUE_login, AUE_su; };\n";

// One address tries alice, bob and carol three times each, then gets in as
// carol. Per subject (the original's only key) no account sees enough
// failures; grouped by source address the nine are one attack.
TEST_F(Scenario, BruteForceAcrossThreeAccountsFromOneAddress) {
  Trail t;
  Actor attacker[3];
  const uint32_t accounts[3] = {1001, 1002, 1003};
  for (int i = 0; i < 3; ++i) {
    attacker[i].auid = accounts[i];
    attacker[i].address[3] = 66;
  }
  Actor legit;  // alice from her own address: two typos, then in
  uint32_t now = 1000;
  t.add("AUE_openssh", now++, legit, 1);
  std::vector<uint64_t> attack_offsets;
  for (int round = 0; round < 3; ++round)
    for (int i = 0; i < 3; ++i) attack_offsets.push_back(t.add("AUE_openssh", now++, attacker[i], 1));
  t.add("AUE_openssh", now++, legit, 1);
  t.add("AUE_openssh", now++, legit, 0);
  attack_offsets.push_back(t.add("AUE_openssh", now++, attacker[2], 0));
  const std::string states = R"(
  timeout 5 minutes;
  state { event $login; status failure; count 9 within 60 seconds; };
  state { event $login; status success; }; };
)";
  auto per_subject = run(std::string(kLogins) + "sequence brute { subject any;" + states, t);
  EXPECT_EQ(per_subject.exit_code, 0) << per_subject.err;
  EXPECT_EQ(per_subject.out, "") << "per subject, no account saw nine failures";

  auto by_address = run(std::string(kLogins) + "sequence brute { subject any; group-by source-address;" + states, t);
  EXPECT_EQ(by_address.exit_code, 0) << by_address.err;
  const auto alerts = lines_of(by_address.out);
  ASSERT_EQ(alerts.size(), 1u) << by_address.out;
  const std::string& a = alerts[0];
  EXPECT_NE(a.find("\"group\":{\"source-address\":\"192.0.2.66\"}"), std::string::npos) << a;
  EXPECT_EQ(occurrences(a, "\"state\":0"), 9u);
  EXPECT_EQ(occurrences(a, "\"state\":1"), 1u);
  for (const char* name : {"alice", "bob", "carol"})
    EXPECT_NE(a.find(std::string("\"auid_name\":\"") + name + "\""), std::string::npos) << name;
  EXPECT_NE(a.find("\"terminal\":{\"port\":4242,\"address\":\"192.0.2.66\"}"), std::string::npos);
  for (uint64_t offset : attack_offsets)
    EXPECT_NE(a.find("\"offset\":" + std::to_string(offset) + "}"), std::string::npos) << offset;
  EXPECT_EQ(a.find("\"address\":\"192.0.2.10\""), std::string::npos) << "alice's own logins are not part of it";
}

// A file downloaded into ~/Downloads must be read by the scanner within a
// minute; b.zip never is, so it alerts at its deadline. c.zip's minute is
// not over when the trail ends: counted, not alerted.
TEST_F(Scenario, DownloadFollowedByNoVirusScanWithin60Seconds) {
  Trail t;
  Actor alice, scanner;
  scanner.auid = 120;
  t.add("AUE_OPEN_WC", 1000, alice, 0, "/home/alice/Downloads/a.zip");
  const uint64_t b_offset = t.add("AUE_OPEN_WC", 1010, alice, 0, "/home/alice/Downloads/b.zip");
  t.add("AUE_OPEN_R", 1030, scanner, 0, "/home/alice/Downloads/a.zip");
  t.add("AUE_OPEN_R", 1040, scanner, 0, "/home/alice/Downloads/other.zip");
  t.add("AUE_OPEN_WC", 1090, alice, 0, "/home/alice/Downloads/c.zip");
  t.add("AUE_EXECVE", 1100, alice, 0, "/usr/bin/true");
  auto r = run(R"(sequence download.unscanned {
  subject any;
  group-by object;
  timeout 60 seconds;
  state { event <auditevent> { AUE_OPEN_WC, AUE_OPEN_RWC; }; status success;
          object <path> { /home/alice/Downloads/; }; };
  state not { event <auditevent> { AUE_OPEN_R; }; status success; };
};
)",
               t);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto alerts = lines_of(r.out);
  ASSERT_EQ(alerts.size(), 1u) << r.out;
  const std::string& a = alerts[0];
  EXPECT_NE(a.find("\"group\":{\"object\":\"/home/alice/Downloads/b.zip\"}"), std::string::npos) << a;
  EXPECT_NE(a.find("\"time\":\"1970-01-01T00:17:50.000Z\",\"seconds\":1070,"), std::string::npos) << a;
  EXPECT_NE(a.find("\"duration\":60,\"deadline\":true"), std::string::npos) << a;
  EXPECT_NE(a.find("\"offset\":" + std::to_string(b_offset) + "}"), std::string::npos) << a;
  EXPECT_NE(r.err.find("1 'state not' instances still inside their time when the input ended"), std::string::npos)
      << r.err;
}

// Failures spread out (one a second: never 20 in 10 s) do not alert; a
// burst does, once, with the 20 records that fell in the window.
TEST_F(Scenario, TwentyFailedOpensInAnyTenSecondWindow) {
  Trail t;
  Actor alice, bob;
  bob.auid = 1002;
  for (uint32_t s = 0; s < 30; ++s) t.add("AUE_OPEN_R", 1000 + s, alice, 13, "/etc/shadow");
  for (uint32_t i = 0; i < 25; ++i) t.add("AUE_OPEN_R", 2000 + i / 3, bob, 13, "/etc/master.passwd");
  t.add("AUE_OPEN_R", 2009, bob, 0, "/etc/motd");
  auto r = run(R"(sequence open.failures {
  subject any;
  state { event <auditclass> { fr; }; status failure; count 20 within 10 seconds; };
};
)",
               t);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto alerts = lines_of(r.out);
  ASSERT_EQ(alerts.size(), 1u) << r.out;
  EXPECT_NE(alerts[0].find("\"subject\":{\"type\":\"auid\",\"id\":1002,\"name\":\"bob\"}"), std::string::npos);
  EXPECT_EQ(occurrences(alerts[0], "\"path\":\"/etc/master.passwd\""), 20u);
  EXPECT_NE(alerts[0].find("\"duration\":6,"), std::string::npos) << alerts[0];
}

// `once per subject per 1 hours`: alice's five runs in ten minutes give one
// alert, bob's run his own; alice's next run after the hour says how many
// were held back.
TEST_F(Scenario, RepeatSuppression) {
  Trail t;
  Actor alice, bob;
  bob.auid = 1002;
  for (uint32_t i = 0; i < 5; ++i) t.add("AUE_EXECVE", 1000 + 120 * i, alice, 0, "/tmp/miner");
  t.add("AUE_EXECVE", 1500, bob, 0, "/tmp/miner");
  t.add("AUE_EXECVE", 1000 + 3601, alice, 0, "/tmp/miner");
  const char* policy = R"(sequence untrusted.exec {
  subject any;
  %ONCE%
  state { event <auditevent> { AUE_EXECVE; }; object not <path> { /bin, /usr/bin; }; status success; };
};
)";
  std::string without = policy, with = policy;
  without.replace(without.find("%ONCE%"), 6, "");
  with.replace(with.find("%ONCE%"), 6, "once per subject per 1 hours;");
  EXPECT_EQ(lines_of(run(without, t).out).size(), 7u);
  auto r = run(with, t);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto alerts = lines_of(r.out);
  ASSERT_EQ(alerts.size(), 3u) << r.out;
  EXPECT_NE(alerts[0].find("\"name\":\"alice\""), std::string::npos);
  EXPECT_NE(alerts[1].find("\"name\":\"bob\""), std::string::npos);
  EXPECT_NE(alerts[2].find("\"seconds\":4601,"), std::string::npos);
  EXPECT_NE(alerts[2].find("\"suppressed_before\":4,"), std::string::npos) << alerts[2];
  EXPECT_NE(r.err.find("4 alerts suppressed by 'once per'"), std::string::npos) << r.err;
}

// Misspelt extensions are rejected by -n with the place and what was expected.
TEST_F(Scenario, CheckModeNamesMisspeltExtensions) {
  struct Case {
    const char* policy;
    const char* message;
  } cases[] = {
      {"sequence s { subject any;\n  group-bye subject;\n  state { event any; status any; }; };",
       "policy.conf:2:3: expected a sequence option (subject, timeout, timeout-window, timeout-prob, priority, "
       "serial, scope, zone, group-by, once) or 'state', found 'group-bye'"},
      {"sequence s { subject any; group-by sourceaddress; state { event any; status any; }; };",
       "policy.conf:1:36: expected subject, auid, euid, ruid, egid, rgid, pid, session, source-address, terminal, "
       "text, object or zone, found 'sourceaddress'"},
      {"sequence s { subject any; once per subject 1 hours; state { event any; status any; }; };",
       "policy.conf:1:44: expected ',' or 'per', found '1'"},
      {"sequence s { subject any; state { event any; status any; count 5 in 10 seconds; }; };",
       "policy.conf:1:66: expected 'within' after the count, found 'in'"},
      {"sequence s { subject any; state not { event any; status any; }; };",
       "policy.conf:1:27: 'state not' must be the last state, after at least one other"},
      {"sequence s { subject any;\n state { event any; status any; };\n state not { event any; status any; }; };",
       "policy.conf:3:2: 'state not' needs a timeout (the time in which it must not happen)"},
  };
  for (const auto& c : cases) {
    std::ofstream(dir_ / "policy.conf") << c.policy;
    auto r = run_tool({"bsmtrace", "-n", "-f", (dir_ / "policy.conf").string()});
    EXPECT_EQ(r.exit_code, 1) << c.policy;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace bullion::trace
