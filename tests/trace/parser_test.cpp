#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "trace_fixtures.h"

namespace bullion::trace {
namespace {

using testing::parse_error;
using testing::parse_ok;
using testing::test_names;

const std::string kCorpus = std::string(BULLION_SHARED_DIR) + "/corpus/bsmtrace/";

TEST(TraceParser, LoadsShippedCorpusConfig) {
  auto p = parse_policy_file(kCorpus + "bsmtrace.conf", test_names());
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_EQ(p->sequences.size(), 5u);
  EXPECT_EQ(p->sequences[0].label, "firewall.change.attempt");
  EXPECT_TRUE(p->sequences[0].subject.negated);
  const auto& brute = p->sequences[3];
  EXPECT_EQ(brute.label, "login.brute.force");
  ASSERT_EQ(brute.states.size(), 2u);
  EXPECT_EQ(brute.states[0].multiplier, 2u);
  EXPECT_EQ(brute.states[0].status, StatusFilter::Failure);
  EXPECT_TRUE(p->warnings.empty());
}

TEST(TraceParser, RejectsPre2018ConfigNamingFileLineAndStatement) {
  auto p = parse_policy_file(kCorpus + "bsmtrace.conf.pre2018", test_names());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, Errc::Parse);
  EXPECT_NE(p.error().message.find("bsmtrace.conf.pre2018:4:1: unsupported statement 'log-channel'"), std::string::npos)
      << p.error().message;
}

TEST(TraceParser, ResolvesSetTypesByName) {
  auto p = parse_ok(R"(
define set $u <auid> { csjp, 77; };
define set $e <euid> { root; };
define set $r <ruid> { nobody; };
define set $g <egid> { staff; };
define set $rg <rgid> { 5; };
define set $ev <auditevent> { AUE_EXECVE, 7; };
define set $cl <auditclass> { fr, fw; };
define set $p <path> { /tmp; };
define set $re <pcre> { ^/etc/pass[wW]d$; };
sequence s { subject $u; state { event $ev; status any; object $re; }; };
)");
  ASSERT_EQ(p.sequences.size(), 1u);
  const auto& s = p.sequences[0];
  EXPECT_TRUE(s.subject.data->contains_number(1001));
  EXPECT_TRUE(s.subject.data->contains_number(77));
  EXPECT_FALSE(s.subject.data->contains_number(0));
  EXPECT_TRUE(s.states[0].events.data->contains_number(23));
  EXPECT_TRUE(s.states[0].object.data->matches_path("/etc/passwd"));
  EXPECT_FALSE(s.states[0].object.data->matches_path("/etc/passwd.bak"));
}

TEST(TraceParser, InlineSetsAndNegation) {
  auto p = parse_ok(R"(sequence s {
  subject ! <auid> { root; };
  state { event not <auditevent> { AUE_OPEN_R; }; status failure; object not <path> { /usr; }; };
};)");
  const auto& s = p.sequences[0];
  EXPECT_TRUE(s.subject.negated);
  EXPECT_TRUE(s.states[0].events.negated);
  EXPECT_TRUE(s.states[0].object.negated);
  EXPECT_EQ(s.subject_type, SetType::Auid);
}

TEST(TraceParser, SetInclusionMergesMembers) {
  auto p = parse_ok(R"(
define set $a <path> { /bin; };
define set $b <path> { set $a, /sbin; };
sequence s { subject any; state { event any; status any; object $b; }; };)");
  const auto& set = *p.sequences[0].states[0].object.data;
  EXPECT_TRUE(set.matches_path("/bin/ls"));
  EXPECT_TRUE(set.matches_path("/sbin/init"));
  EXPECT_FALSE(set.matches_path("/usr/bin/ls"));
}

TEST(TraceParser, SetInclusionTypeMismatchIsAnError) {
  EXPECT_EQ(parse_error("define set $a <path> { /bin; };\ndefine set $b <auid> { set $a; };"),
            "test.conf:2:28: $a: type mismatch (path set used in a auid set)");
}

TEST(TraceParser, SequenceOptions) {
  auto p = parse_ok(R"(sequence s {
  subject <euid> { root; };
  timeout 2 minutes; timeout-window 1 hours; timeout-prob 30;
  priority 7; serial 2343445445; scope session; zone "web*";
  state { event any; status success; multiplier 3;
          trigger "/usr/bin/logger hello $subject"; };
};)");
  const auto& s = p.sequences[0];
  EXPECT_EQ(s.subject_type, SetType::Euid);
  EXPECT_EQ(s.timeout, 120u);
  EXPECT_EQ(s.timeout_window, 3600u);
  EXPECT_EQ(s.timeout_probability, 30u);
  EXPECT_EQ(s.priority, 7u);
  EXPECT_EQ(s.serial, 2343445445u);
  EXPECT_EQ(s.scope, Scope::Session);
  EXPECT_EQ(s.zone, ZoneKind::Glob);
  EXPECT_EQ(s.zone_glob, "web*");
  EXPECT_EQ(s.states[0].multiplier, 3u);
  EXPECT_EQ(s.states[0].trigger, "/usr/bin/logger hello $subject");
}

TEST(TraceParser, TimeoutUnitsAndNone) {
  auto p = parse_ok(
      "sequence a { subject any; timeout 2 days; state { event any; status any; }; };\n"
      "sequence b { subject any; timeout 1 weeks; state { event any; status any; }; };\n"
      "sequence c { subject any; timeout none; zone none; state { event any; status any; }; };\n");
  EXPECT_EQ(p.sequences[0].timeout, 2u * 86400);
  EXPECT_EQ(p.sequences[1].timeout, 604800u);
  EXPECT_EQ(p.sequences[2].timeout, 0u);
  EXPECT_EQ(p.sequences[2].zone, ZoneKind::None);
}

TEST(TraceParser, QuotedStringsEscapeAndFoldNewlines) {
  auto p = parse_ok(
      "sequence s { subject any; state { event any; status any;\n"
      "trigger \"/bin/echo a\\\"b\nc\"; }; };");
  EXPECT_EQ(p.sequences[0].states[0].trigger, "/bin/echo a\"b c");
}

TEST(TraceParser, BracketedSetItemAndNumbers) {
  auto p = parse_ok(
      "define set $u <auid> { <csjp>, 5; };\n"
      "sequence s { subject $u; state { event any; status any; }; };");
  EXPECT_TRUE(p.sequences[0].subject.data->contains_number(1001));
  EXPECT_TRUE(p.sequences[0].subject.data->contains_number(5));
}

TEST(TraceParser, UnknownUserIsAWarningNamingThePlace) {
  auto p = parse_ok(
      "define set $u <auid> { nosuchuser; };\n"
      "sequence s { subject $u; state { event any; status any; }; };");
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_EQ(p.warnings[0].describe().rfind("test.conf:1:24: nosuchuser: unknown user name", 0), 0u)
      << p.warnings[0].describe();
}

TEST(TraceParser, ErrorsNameFileLineColumn) {
  EXPECT_EQ(parse_error("define set $e <auditevent> { AUE_NOPE; };"),
            "test.conf:1:30: AUE_NOPE: invalid audit event name");
  EXPECT_EQ(parse_error("define set $x <bogus> { a; };"), "test.conf:1:16: 'bogus': invalid set type");
  EXPECT_EQ(parse_error("sequence s {\n  subject $missing;\n};"),
            "test.conf:2:11: $missing: invalid set (not defined)");
  EXPECT_EQ(parse_error("sequence s { state { event any; status any; }; };"),
            "test.conf:1:10: s: must specify a subject");
  EXPECT_EQ(parse_error("define set $a <path> { /x }"),
            "test.conf:1:27: expected ',' or ';' after a set item, found '}'");
  EXPECT_EQ(parse_error("sequence s { subject any; scope planet; state { event any; status any; }; };"),
            "test.conf:1:33: planet: invalid scope");
  EXPECT_EQ(parse_error("bogus;"),
            "test.conf:1:1: expected 'define', 'sequence', 'include' or 'logfile', found 'bogus'");
  EXPECT_EQ(parse_error("sequence s { subject any; state { trigger \"x"),
            "test.conf:1:43: unmatched \" (string runs to end of file)");
}

TEST(TraceParser, StateWithoutEventOrStatusIsRejected) {
  EXPECT_EQ(parse_error("sequence s { subject any;\n  state { status any; }; };"),
            "test.conf:2:3: state has no 'event' (event any; or event SET;)");
  EXPECT_EQ(parse_error("sequence s { subject any;\n  state { event any; }; };"),
            "test.conf:2:3: state has no 'status' (status success|failure|any;)");
}

TEST(TraceParser, WrongSetKindsAreRejected) {
  EXPECT_EQ(parse_error("sequence s { subject <path> { /x; }; state { event any; status any; }; };"),
            "test.conf:1:22: supplied set does not contain subjects (auid, euid, ruid, egid or rgid)");
  EXPECT_EQ(parse_error("sequence s { subject any; state { event <path> { /x; }; status any; }; };"),
            "test.conf:1:41: supplied set contains no audit events or classes");
  EXPECT_EQ(parse_error("sequence s { subject any; state { event any; object <auid> { 1; }; status any; }; };"),
            "test.conf:1:53: objects must be of type path or pcre");
}

TEST(TraceParser, TriggerNeedsAbsolutePath) {
  EXPECT_EQ(parse_error("sequence s { subject any; state { event any; status any; trigger \"logger x\"; }; };"),
            "test.conf:1:66: trigger must start with an absolute program path (no shell is used)");
}

TEST(TraceParser, BadRegularExpressionIsAnError) {
  auto e = parse_error("define set $r <pcre> { \"a(b\"; };");
  EXPECT_EQ(e.rfind("test.conf:1:24: 'a(b': bad regular expression", 0), 0u) << e;
}

TEST(TraceParser, LogStatementInsideSequenceIsUnsupported) {
  auto e = parse_error("sequence s { subject any;\n  log <logchannel> { $bsm; };\n};");
  EXPECT_EQ(e.rfind("test.conf:2:3: unsupported statement 'log'", 0), 0u) << e;
}

TEST(TraceParser, IncludeIsRelativeToIncludingFileAndScopesLogfile) {
  auto dir = std::filesystem::temp_directory_path() / ("bsmtrace_inc_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "main.conf") << "define set $adm <auid> { root; };\n"
                                      "logfile \"main.log\";\ninclude \"sub.conf\";\n"
                                      "sequence after { subject any; state { event any; status any; }; };\n";
  std::ofstream(dir / "sub.conf") << "sequence inner { subject $adm; state { event any; status any; }; };\n";
  auto p = parse_policy_file((dir / "main.conf").string(), test_names());
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_EQ(p->sequences.size(), 2u);
  EXPECT_EQ(p->sequences[0].label, "inner");
  EXPECT_EQ(p->sequences[0].logfile, "");  // an included file starts with the default log
  EXPECT_EQ(p->sequences[1].logfile, "main.log");
  std::filesystem::remove_all(dir);
}

TEST(TraceParser, IncludeLoopIsStopped) {
  auto dir = std::filesystem::temp_directory_path() / ("bsmtrace_loop_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.conf") << "include \"b.conf\";\n";
  std::ofstream(dir / "b.conf") << "\n  include \"a.conf\";\n";
  auto p = parse_policy_file((dir / "a.conf").string(), test_names());
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("b.conf:2:3: include loop:"), std::string::npos) << p.error().message;
  std::filesystem::remove_all(dir);
}

// The original nests includes as deep as it can open files (200 levels
// load there); only a loop is an error here, not a small depth.
TEST(TraceParser, DeepIncludeChainsLoad) {
  auto dir = std::filesystem::temp_directory_path() / ("bsmtrace_deep_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  for (int i = 0; i < 200; ++i)
    std::ofstream(dir / ("f" + std::to_string(i) + ".conf")) << "include \"f" << i + 1 << ".conf\";\n";
  std::ofstream(dir / "f200.conf") << "sequence deep { subject any; state { event any; status any; }; };\n";
  auto p = parse_policy_file((dir / "f0.conf").string(), test_names());
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_EQ(p->sequences.size(), 1u);
  EXPECT_EQ(p->sequences[0].label, "deep");
  std::filesystem::remove_all(dir);
}

TEST(TraceParser, HugeSetWorks) {
  std::string text = "define set $big <auid> {";
  for (int i = 0; i < 100000; ++i) text += (i ? ", " : " ") + std::to_string(i * 3);
  text += "; };\ndefine set $paths <path> {";
  for (int i = 0; i < 100000; ++i) text += (i ? ", /d" : " /d") + std::to_string(i);
  text += "; };\nsequence s { subject $big; state { event any; status any; object $paths; }; };";
  auto p = parse_ok(text);
  ASSERT_EQ(p.sequences.size(), 1u);
  EXPECT_EQ(p.sequences[0].subject.data->size(), 100000u);
  EXPECT_TRUE(p.sequences[0].subject.data->contains_number(299997));
  EXPECT_FALSE(p.sequences[0].subject.data->contains_number(299998));
  EXPECT_TRUE(p.sequences[0].states[0].object.data->matches_path("/d99999/x"));
  EXPECT_FALSE(p.sequences[0].states[0].object.data->matches_path("/e1"));
}

TEST(TraceParser, HostileInputDoesNotCrash) {
  const char* inputs[] = {"",
                          ";",
                          "{",
                          "}",
                          "<",
                          "define",
                          "define set",
                          "define set $a <",
                          "sequence",
                          "sequence x {",
                          "sequence x { state {",
                          "\"",
                          "#only a comment",
                          "define set $a <auid> { 99999999999; };",
                          "sequence x { subject any; timeout 99999999999 seconds; };"};
  for (const char* in : inputs) {
    auto e = parse_error(in);
    bool empty_policy = std::string_view(in).empty() || in[0] == '#';
    if (empty_policy)
      EXPECT_EQ(e, "<parsed>") << in;  // nothing but comments is a valid, empty policy
    else
      EXPECT_EQ(e.rfind("test.conf:", 0), 0u) << in << " -> " << e;
  }
}

TEST(TraceParser, NestedQuantifierIsAWarningNamingThePattern) {
  auto p =
      parse_ok("define set $r <pcre> { ^/(a+)+$, \"(x*)*\", /etc/pass[Ww][Dd], \\.(conf|db)$, \"([a-z]+/)*x\"; };");
  ASSERT_EQ(p.warnings.size(), 3u);
  EXPECT_EQ(p.warnings[0].describe().rfind("test.conf:1:24: pattern '^/(a+)+$' repeats a group that itself repeats", 0),
            0u)
      << p.warnings[0].describe();
  EXPECT_NE(p.warnings[1].message.find("'(x*)*'"), std::string::npos);
  EXPECT_NE(p.warnings[2].message.find("'([a-z]+/)*x'"), std::string::npos);
}

TEST(TraceParser, NestedQuantifierScan) {
  EXPECT_TRUE(has_nested_quantifier("(a+)+"));
  EXPECT_TRUE(has_nested_quantifier("((ab)*c)+"));
  EXPECT_TRUE(has_nested_quantifier("(a{2,})*"));
  EXPECT_TRUE(has_nested_quantifier("(?:x+y)+"));
  EXPECT_FALSE(has_nested_quantifier("(a+)?"));
  EXPECT_FALSE(has_nested_quantifier("(ab)+"));
  EXPECT_FALSE(has_nested_quantifier("\\(a+\\)+"));
  EXPECT_FALSE(has_nested_quantifier("[(a+)]+"));
  EXPECT_FALSE(has_nested_quantifier("/[Ee][Tt][Cc]/*"));
  EXPECT_FALSE(has_nested_quantifier("(a+){1}"));
}

TEST(TraceParser, IncludeOfADeviceIsRefused) {
  EXPECT_EQ(parse_error("include \"/dev/zero\";"),
            "test.conf:1:9: cannot open included file /dev/zero (no such regular file)");
}

}  // namespace
}  // namespace bullion::trace
