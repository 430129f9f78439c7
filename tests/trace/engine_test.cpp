// Engine scenarios over RecordFacts built in memory.
#include <gtest/gtest.h>

#include "trace_fixtures.h"

namespace bullion::trace {
namespace {

using testing::event_number;
using testing::parse_ok;
using testing::RecordingSink;

struct Rec {
  const char* event = "AUE_EXECVE";
  uint32_t auid = 1001;
  uint8_t err = 0;
  const char* path = nullptr;
  uint64_t seconds = 1000;
  uint32_t pid = 100;
  uint32_t sid = 10;
  const char* zone = nullptr;
  uint32_t euid = 1001;
};

bsm::RecordFacts facts(const Rec& r) {
  bsm::RecordFacts f;
  f.event = event_number(r.event);
  f.seconds = r.seconds;
  f.msec = 5;
  f.has_subject = true;
  f.subject.auid = r.auid;
  f.subject.euid = r.euid;
  f.subject.ruid = r.auid;
  f.subject.pid = r.pid;
  f.subject.sid = r.sid;
  f.has_return = true;
  f.return_errno = r.err;
  if (r.path) {
    f.path_count = 1;
    f.first_path = f.last_path = r.path;
  }
  if (r.zone) f.zonename = r.zone;
  return f;
}

class EngineTest : public ::testing::Test {
 protected:
  void load(std::string_view text) {
    policy_ = parse_ok(text);
    engine_ = std::make_unique<Engine>(policy_, tables::EventTable::builtin(), sink_);
  }
  void feed(const Rec& r) { engine_->process(facts(r)); }
  void feed_facts(const bsm::RecordFacts& f) { engine_->process(f); }
  Policy policy_;
  RecordingSink sink_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineTest, BruteForceNeedsFiftyFailuresThenSuccess) {
  load(R"(define set $login <auditevent> { AUE_openssh, AUE_login, AUE_su; };
sequence brute { subject any; timeout 5 minutes;
  state { event $login; status failure; multiplier 50; };
  state { event $login; status success; }; };)");
  for (int i = 0; i < 49; ++i) feed({.event = "AUE_openssh", .err = 1, .seconds = 1000u + i});
  feed({.event = "AUE_openssh", .seconds = 1100});
  EXPECT_TRUE(sink_.alerts.empty()) << "49 failures are not enough";
  // That instance still waits for its 50th failure until it times out
  // (records that do not match are ignored, they do not reset it).
  for (int i = 0; i < 50; ++i) feed({.event = "AUE_openssh", .err = 1, .seconds = 1400u + i});
  feed({.event = "AUE_openssh", .seconds = 1500});
  ASSERT_EQ(sink_.alerts.size(), 1u);
  const Alert& a = sink_.alerts[0];
  EXPECT_EQ(a.sequence->label, "brute");
  EXPECT_EQ(a.subject, 1001u);
  EXPECT_EQ(a.records.size(), 51u);
  EXPECT_EQ(a.records.front().seconds, 1400u);  // the instance began at the first failure
  EXPECT_EQ(a.duration, 100u);
  EXPECT_EQ(a.records.back().spec_state, 1u);
}

TEST_F(EngineTest, BruteForceIsPerSubject) {
  load(R"(sequence brute { subject any;
  state { event <auditevent> { AUE_openssh; }; status failure; multiplier 2; };
  state { event <auditevent> { AUE_openssh; }; status success; }; };)");
  feed({.event = "AUE_openssh", .auid = 1, .err = 1});
  feed({.event = "AUE_openssh", .auid = 2, .err = 1});
  feed({.event = "AUE_openssh", .auid = 2, .err = 1});
  feed({.event = "AUE_openssh", .auid = 1});  // user 1 had only one failure
  EXPECT_TRUE(sink_.alerts.empty());
  feed({.event = "AUE_openssh", .auid = 2});
  ASSERT_EQ(sink_.alerts.size(), 1u);
  EXPECT_EQ(sink_.alerts[0].subject, 2u);
}

TEST_F(EngineTest, UntrustedExecAlertsOnlyOutsideTrustedDirs) {
  load(R"(define set $trusted <path> { /bin, /usr/bin; };
sequence untrusted { subject any;
  state { event <auditevent> { AUE_EXECVE; }; object not $trusted; status success; }; };)");
  feed({.path = "/bin/ls"});
  feed({.path = "/usr/bin/env"});
  feed({.path = "/tmp/evil"});
  feed({.err = 2, .path = "/tmp/failed"});  // failed exec: status success required
  feed({});                                 // no path: never matches an object option
  ASSERT_EQ(sink_.alerts.size(), 1u);
  EXPECT_EQ(sink_.alerts[0].records[0].path, "/tmp/evil");
}

TEST_F(EngineTest, WritesOutsideDirectoryByNobody) {
  load(R"(sequence nobody.writes { subject <auid> { nobody; };
  state { event <auditclass> { fw; }; object not <path> { /var/www; }; status success; }; };)");
  feed({.event = "AUE_OPEN_RWTC", .auid = 65534, .path = "/var/www/index.html"});
  feed({.event = "AUE_OPEN_RWTC", .auid = 65534, .path = "/etc/passwd"});
  feed({.event = "AUE_OPEN_RWTC", .auid = 1001, .path = "/etc/passwd"});  // not nobody
  feed({.event = "AUE_OPEN_R", .auid = 65534, .path = "/etc/passwd"});    // read, not fw
  ASSERT_EQ(sink_.alerts.size(), 1u);
  EXPECT_EQ(sink_.alerts[0].subject, 65534u);
  EXPECT_EQ(sink_.alerts[0].records[0].path, "/etc/passwd");
}

TEST_F(EngineTest, MultiplierOnOnlyStateCountsExactly) {
  load(R"(sequence five { subject any;
  state { event <auditevent> { AUE_OPEN_R; }; status any; multiplier 5; }; };)");
  for (int i = 0; i < 14; ++i) feed({.event = "AUE_OPEN_R", .path = "/etc/x"});
  EXPECT_EQ(sink_.alerts.size(), 2u);  // 5 and 10; the third needs one more
  feed({.event = "AUE_OPEN_R", .path = "/etc/x"});
  EXPECT_EQ(sink_.alerts.size(), 3u);
  EXPECT_EQ(sink_.alerts[0].records.size(), 5u);
}

TEST_F(EngineTest, TimeoutExpiresInRecordTime) {
  load(R"(sequence two { subject any; timeout 60 seconds;
  state { event <auditevent> { AUE_SOCKET; }; status success; };
  state { event <auditevent> { AUE_BIND; }; status success; }; };)");
  feed({.event = "AUE_SOCKET", .seconds = 1000});
  feed({.event = "AUE_BIND", .seconds = 1061});  // 61 s later: expired
  EXPECT_TRUE(sink_.alerts.empty());
  feed({.event = "AUE_SOCKET", .seconds = 2000});
  feed({.event = "AUE_BIND", .seconds = 2060});  // exactly the timeout: still alive
  ASSERT_EQ(sink_.alerts.size(), 1u);
  EXPECT_EQ(sink_.alerts[0].duration, 60u);
  EXPECT_EQ(engine_->stats().instances_expired, 1u);
}

TEST_F(EngineTest, ExpiredInstanceIsReplacedByNewStart) {
  load(R"(sequence two { subject any; timeout 10 seconds;
  state { event <auditevent> { AUE_SOCKET; }; status success; };
  state { event <auditevent> { AUE_BIND; }; status success; }; };)");
  feed({.event = "AUE_SOCKET", .seconds = 1000});
  feed({.event = "AUE_SOCKET", .seconds = 1005});  // instance live: no restart
  feed({.event = "AUE_SOCKET", .seconds = 1020});  // old one expired: restart here
  feed({.event = "AUE_BIND", .seconds = 1025});
  ASSERT_EQ(sink_.alerts.size(), 1u);
  EXPECT_EQ(sink_.alerts[0].duration, 5u);
}

TEST_F(EngineTest, NotSetsInvertSubjectAndEvent) {
  load(R"(sequence s { subject not <auid> { csjp; };
  state { event not <auditevent> { AUE_OPEN_R; }; status any; }; };)");
  feed({.event = "AUE_EXECVE", .auid = 1001});  // csjp: excluded
  feed({.event = "AUE_OPEN_R", .auid = 0});     // excluded event
  feed({.event = "AUE_EXECVE", .auid = 0});
  ASSERT_EQ(sink_.alerts.size(), 1u);
  EXPECT_EQ(sink_.alerts[0].subject, 0u);
}

TEST_F(EngineTest, ScopeProcessKeysInstancesByPid) {
  const char* states = R"(
  state { event <auditevent> { AUE_SOCKET; }; status success; };
  state { event <auditevent> { AUE_EXECVE; }; status any; }; };)";
  load(std::string("sequence by.pid { subject any; scope process;") + states + "sequence by.subject { subject any;" +
       states);
  feed({.event = "AUE_SOCKET", .pid = 1});
  feed({.event = "AUE_EXECVE", .pid = 2});  // same user, other process
  ASSERT_EQ(sink_.alerts.size(), 1u);
  EXPECT_EQ(sink_.alerts[0].sequence->label, "by.subject");
  feed({.event = "AUE_EXECVE", .pid = 1});
  ASSERT_EQ(sink_.alerts.size(), 2u);
  EXPECT_EQ(sink_.alerts[1].sequence->label, "by.pid");
}

TEST_F(EngineTest, ScopeGlobalSharesOneInstanceAcrossSubjects) {
  load(R"(sequence g { subject any; scope global;
  state { event <auditevent> { AUE_OPEN_R; }; status any; multiplier 3; };
  state { event <auditevent> { AUE_EXECVE; }; status any; }; };)");
  feed({.event = "AUE_OPEN_R", .auid = 1});
  feed({.event = "AUE_OPEN_R", .auid = 2});
  feed({.event = "AUE_OPEN_R", .auid = 3});
  feed({.event = "AUE_EXECVE", .auid = 4});
  EXPECT_EQ(sink_.alerts.size(), 1u);
}

TEST_F(EngineTest, ZoneGlobMatchesZonename) {
  load(R"(sequence z { subject any; zone "web*";
  state { event any; status any; }; };
sequence nozone { subject any; zone none; state { event any; status any; }; };)");
  feed({.zone = "webserver1"});
  feed({.zone = "db1"});
  feed({});
  ASSERT_EQ(sink_.alerts.size(), 2u);
  EXPECT_EQ(sink_.alerts[0].sequence->label, "z");
  EXPECT_EQ(sink_.alerts[1].sequence->label, "nozone");
}

TEST_F(EngineTest, PathCacheGivesFdOnlyEventsTheirPath) {
  load(R"(sequence etc.write { subject any;
  state { event <auditevent> { AUE_FTRUNCATE; }; object <path> { /etc; }; status any; }; };)");
  bsm::RecordFacts open = facts({.event = "AUE_OPEN_RW", .path = "/etc/master.passwd"});
  open.has_attr = true;
  open.attr_fsid = 80;
  open.attr_inode = 12345;
  feed_facts(open);
  bsm::RecordFacts trunc = facts({.event = "AUE_FTRUNCATE"});
  trunc.has_attr = true;
  trunc.attr_fsid = 80;
  trunc.attr_inode = 12345;
  feed_facts(trunc);
  trunc.attr_inode = 999;  // unknown file: no path, no match
  feed_facts(trunc);
  ASSERT_EQ(sink_.alerts.size(), 1u);
  EXPECT_EQ(sink_.alerts[0].records[0].path, "/etc/master.passwd");
}

TEST_F(EngineTest, PcreObjectMatchesAnywhere) {
  load(R"(sequence p { subject any;
  state { event any; status any; object <pcre> { pass[Ww][Dd]; }; }; };)");
  feed({.path = "/etc/passwd"});
  feed({.path = "/etc/group"});
  EXPECT_EQ(sink_.alerts.size(), 1u);
}

TEST_F(EngineTest, AuditClassUsesEventTableMask) {
  load(R"(sequence fr { subject any; state { event <auditclass> { fr; }; status any; }; };)");
  feed({.event = "AUE_OPEN_R"});
  feed({.event = "AUE_EXECVE"});
  EXPECT_EQ(sink_.alerts.size(), 1u);
}

TEST_F(EngineTest, RecordCompletingAnInstanceDoesNotStartAnother) {
  load(R"(sequence ab { subject any;
  state { event <auditevent> { AUE_OPEN_R; }; status any; };
  state { event <auditevent> { AUE_OPEN_R; }; status any; }; };)");
  feed({.event = "AUE_OPEN_R"});
  feed({.event = "AUE_OPEN_R"});  // completes
  feed({.event = "AUE_OPEN_R"});  // starts anew
  EXPECT_EQ(sink_.alerts.size(), 1u);
  EXPECT_EQ(engine_->stats().live_instances, 1u);
}

TEST_F(EngineTest, IndexSkipsSequencesThatCannotMatch) {
  load(R"(sequence exec { subject any; state { event <auditevent> { AUE_EXECVE; }; status any; }; };)");
  feed({.event = "AUE_OPEN_R"});
  EXPECT_TRUE(sink_.matched.empty());
  feed({.event = "AUE_EXECVE"});
  EXPECT_EQ(sink_.matched.size(), 1u);
}

TEST_F(EngineTest, RecordsWithoutSubjectOnlyReachSubjectAny) {
  load(R"(sequence anyone { subject any; state { event any; status any; }; };
sequence root { subject not <auid> { csjp; }; state { event any; status any; }; };)");
  bsm::RecordFacts f = facts({});
  f.has_subject = false;
  feed_facts(f);
  ASSERT_EQ(sink_.alerts.size(), 1u);
  EXPECT_EQ(sink_.alerts[0].sequence->label, "anyone");
  EXPECT_EQ(sink_.alerts[0].subject, 0xffffffffu);
}

TEST_F(EngineTest, TimeoutWindowNeverShortensTimeout) {
  load(R"(sequence w { subject any; timeout 10 seconds; timeout-window 100 seconds; timeout-prob 100;
  state { event <auditevent> { AUE_SOCKET; }; status success; };
  state { event <auditevent> { AUE_BIND; }; status success; }; };)");
  feed({.event = "AUE_SOCKET", .seconds = 1000});
  feed({.event = "AUE_BIND", .seconds = 1010});
  EXPECT_EQ(sink_.alerts.size(), 1u);
}

// A pattern PCRE2 gives up on (match limit) must not let a crafted path
// slip past the rule: by default the record counts as a match.
TEST_F(EngineTest, PatternThatCannotBeEvaluatedCountsAsAMatch) {
  load(R"(sequence p { subject any;
  state { event any; status any; object <pcre> { ^/(a+)+$; }; }; };)");
  feed({.path = "/aaaa"});
  const std::string evil = "/" + std::string(40, 'a') + "!";
  feed({.path = evil.c_str()});
  feed({.path = "/b"});
  ASSERT_EQ(sink_.alerts.size(), 2u);
  EXPECT_EQ(sink_.alerts[1].records[0].path, evil);
}

// In the original, `zone any` is "any zone, not the host": a record without
// a zonename token never matches it.
TEST_F(EngineTest, ZoneAnyMeansAnyZoneButNotTheHost) {
  load(R"(sequence z { subject any; zone any; state { event any; status any; }; };
sequence everywhere { subject any; state { event any; status any; }; };)");
  feed({});
  feed({.zone = "web1"});
  ASSERT_EQ(sink_.alerts.size(), 3u);
  EXPECT_EQ(sink_.alerts[0].sequence->label, "everywhere");
  EXPECT_EQ(sink_.alerts[1].sequence->label, "z");
}

// The original pins an instance to the zone of its first record: the same
// user in another zone neither advances nor completes it.
TEST_F(EngineTest, InstancesAreKeptApartPerZone) {
  load(R"(sequence z { subject any; zone "*";
  state { event <auditevent> { AUE_SOCKET; }; status success; };
  state { event <auditevent> { AUE_BIND; }; status success; }; };)");
  feed({.event = "AUE_SOCKET", .zone = "a"});
  feed({.event = "AUE_BIND", .zone = "b"});
  EXPECT_TRUE(sink_.alerts.empty());
  feed({.event = "AUE_BIND", .zone = "a"});
  ASSERT_EQ(sink_.alerts.size(), 1u);
}

struct FailureSink : testing::RecordingSink {
  std::vector<std::string> reported;
  void pattern_not_evaluated(const PatternFailure& f, bool) override { reported.push_back(f.pattern->text); }
};

// Counted per pattern, told to the sink once, and configurable as a miss.
TEST(EngineFailures, PatternFailuresAreCountedAndReportedOncePerPattern) {
  auto policy = testing::parse_ok(R"(define set $evil <pcre> { ^/(a+)+$, ^/x; };
sequence p { subject any; state { event any; status any; object $evil; }; };
sequence q { subject any; state { event any; status any; object not $evil; }; };)");
  for (bool as_match : {true, false}) {
    FailureSink sink;
    EngineOptions options;
    options.pattern_failure_matches = as_match;
    Engine engine(policy, tables::EventTable::builtin(), sink, options);
    const std::string evil = "/" + std::string(40, 'a') + "!";
    for (int i = 0; i < 3; ++i) {
      bsm::RecordFacts f;
      f.event = 23;
      f.path_count = 1;
      f.last_path = evil;
      engine.process(f, RecordOrigin{"t.bsm", 100u * i, true});
    }
    // Unknown is unknown under `not` too: both sequences see it the same way.
    EXPECT_EQ(sink.alerts.size(), as_match ? 6u : 0u);
    ASSERT_EQ(sink.reported.size(), 1u);
    EXPECT_EQ(sink.reported[0], "^/(a+)+$");
    auto failures = engine.pattern_failures();
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_EQ(failures[0].count, 3u);  // once per record, though two sequences use the set
    EXPECT_EQ(failures[0].first_source, "t.bsm");
    EXPECT_EQ(engine.stats().patterns_not_evaluated, 3u);
    if (as_match) {
      EXPECT_TRUE(sink.alerts[0].records[0].pattern_not_evaluated);
    }
  }
}

// The index is built from set members: `event any` costs one entry, not
// 65,536, and a set of two events two.
TEST(EngineIndex, IndexGrowsWithSetMembersNotEventNumbers) {
  auto policy = testing::parse_ok(R"(sequence a { subject any; state { event any; status any; }; };
sequence b { subject any; state { event <auditevent> { AUE_OPEN_R, AUE_EXECVE; }; status any; }; };
sequence c { subject any; state { event not <auditevent> { AUE_OPEN_R; }; status any; }; };)");
  testing::RecordingSink sink;
  Engine engine(policy, tables::EventTable::builtin(), sink);
  EXPECT_EQ(engine.stats().index_entries, 2u);
  EXPECT_EQ(engine.stats().unindexed_sequences, 2u);
}

}  // namespace
}  // namespace bullion::trace
