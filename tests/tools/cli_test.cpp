// One way to be a tool: every tool answers -h/--help on stdout with exit 0,
// --version as "NAME (bullion) VERSION", and a usage error with a message
// naming what was wrong and exit 2. Then the parser itself.
#include "bullion/tools/cli.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bullion/version.h"
#include "support/run.h"

namespace bullion::testing {
namespace {

struct Tool {
  std::string name;
  std::vector<std::string> missing_argument;  // a command line ending in an option that needs a value
  std::string missing_message;                // what the tool must say about it
};

const Tool kTools[] = {
    {"praudit", {"--root"}, "praudit: missing argument to --root"},
    {"auditreduce", {"-m"}, "auditreduce: missing argument to -m"},
    {"auditpipe", {"--timeout"}, "auditpipe: missing argument to --timeout"},
    {"auditconf", {"check", "--root"}, "auditconf check: missing argument to --root"},
    {"bsmauditd", {"--root"}, "bsmauditd: missing argument to --root"},
    {"audit", {"--root"}, "audit: missing argument to --root"},
    {"auditon", {"--root"}, "auditon: missing argument to --root"},
    {"bsmtrace", {"-f"}, "bsmtrace: missing argument to -f"},
    {"commands", {"--root"}, "commands: missing argument to --root"},
    {"filewatcher", {"-d"}, "filewatcher: missing argument to -d"},
    {"paudit", {"-i"}, "paudit: missing argument to -i"},
    {"pwait", {"--timeout"}, "pwait: missing argument to --timeout"},
};

class EveryTool : public ::testing::TestWithParam<Tool> {};

TEST_P(EveryTool, HelpGoesToStdoutAndExitsZero) {
  for (const char* flag : {"-h", "--help"}) {
    const RunResult r = run_tool({GetParam().name, flag});
    EXPECT_EQ(r.exit_code, 0) << flag;
    EXPECT_TRUE(r.out.starts_with("usage: " + GetParam().name + " ")) << r.out;
    EXPECT_NE(r.out.find("--version"), std::string::npos);
    EXPECT_EQ(r.err, "");
  }
}

TEST_P(EveryTool, VersionNamesTheToolAndTheProjectVersion) {
  const RunResult r = run_tool({GetParam().name, "--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, GetParam().name + " (bullion) " BULLION_VERSION "\n");
  EXPECT_EQ(r.err, "");
}

TEST_P(EveryTool, UnknownOptionsAreUsageErrorsThatSayWhich) {
  for (const std::string bad : {"--no-such-option", "-%"}) {
    const RunResult r = run_tool({GetParam().name, bad, "x"});
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(r.err.starts_with(GetParam().name + ": unknown option " + bad + "\n")) << r.err;
    EXPECT_NE(r.err.find("usage: " + GetParam().name), std::string::npos) << r.err;
  }
}

TEST_P(EveryTool, AMissingArgumentIsAUsageErrorThatSaysWhich) {
  std::vector<std::string> argv = {GetParam().name};
  argv.insert(argv.end(), GetParam().missing_argument.begin(), GetParam().missing_argument.end());
  const RunResult r = run_tool(argv);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(r.err.starts_with(GetParam().missing_message + "\n")) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Cli, EveryTool, ::testing::ValuesIn(kTools),
                         [](const ::testing::TestParamInfo<Tool>& info) { return info.param.name; });

// ---- the parser --------------------------------------------------------------

struct Parsed {
  bool l = false, n = false, json = false;
  std::string d, root;
  std::vector<std::string> inputs, lists;
  unsigned timeout = 0;
  std::optional<int> code;
};

Parsed parse(std::vector<std::string> args, size_t at_least = 0) {
  Parsed p;
  tables::TableOptions t;
  tools::CommandLine cli("tool", "[options] [file ...]");
  cli.flag('l', "", p.l, "l")
      .flag('n', "no-resolve", p.n, "n")
      .value('d', "", "del", p.d, "d")
      .list('i', "input", "FILE", p.lists, "i")
      .number('\0', "timeout", "SEC", p.timeout, "t")
      .json(p.json)
      .table_options(t)
      .operands("file", p.inputs, at_least);
  args.insert(args.begin(), "tool");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  p.code = cli.parse(static_cast<int>(argv.size()), argv.data());
  p.root = t.root;
  return p;
}

TEST(CommandLine, ShortFlagsCombineAndValuesAttachOrFollow) {
  Parsed p = parse({"-ln", "-d,", "a"});
  EXPECT_FALSE(p.code);
  EXPECT_TRUE(p.l && p.n);
  EXPECT_EQ(p.d, ",");
  p = parse({"-ld", ":", "a"});
  EXPECT_TRUE(p.l);
  EXPECT_EQ(p.d, ":");
  EXPECT_EQ(p.inputs, std::vector<std::string>{"a"});
}

TEST(CommandLine, LongValuesWithEqualsOrFollowing) {
  Parsed p = parse({"--root=/r", "--input", "x", "--input=y", "--timeout", "5", "--json"});
  EXPECT_FALSE(p.code);
  EXPECT_EQ(p.root, "/r");
  EXPECT_EQ(p.lists, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(p.timeout, 5u);
  EXPECT_TRUE(p.json);
}

TEST(CommandLine, OptionsAndOperandsMixUntilDoubleDash) {
  Parsed p = parse({"a", "-l", "-", "--", "-n", "--json"});
  EXPECT_FALSE(p.code);
  EXPECT_TRUE(p.l);
  EXPECT_FALSE(p.n);
  EXPECT_FALSE(p.json);
  EXPECT_EQ(p.inputs, (std::vector<std::string>{"a", "-", "-n", "--json"}));
}

TEST(CommandLine, UsageErrorsExitTwo) {
  EXPECT_EQ(parse({"--nope"}).code, 2);
  EXPECT_EQ(parse({"-q"}).code, 2);
  EXPECT_EQ(parse({"-d"}).code, 2);
  EXPECT_EQ(parse({"--root"}).code, 2);
  EXPECT_EQ(parse({"--json=yes"}).code, 2);
  EXPECT_EQ(parse({"--timeout", "soon"}).code, 2);
  EXPECT_EQ(parse({"--timeout", ""}).code, 2);
  EXPECT_EQ(parse({"--timeout", "-1"}).code, 2);
  EXPECT_EQ(parse({}, 1).code, 2);
  EXPECT_FALSE(parse({"f"}, 1).code);
}

TEST(CommandLine, HelpListsEveryOptionAndTheTableOptions) {
  tables::TableOptions t;
  bool json = false;
  std::string d;
  tools::CommandLine cli("tool", "[-d del] [file ...]", "Does things.");
  cli.value('d', "delimiter", "del", d, "field delimiter").json(json).table_options(t).epilog("Exit status: 0.");
  const std::string help = cli.help_text();
  EXPECT_TRUE(help.starts_with("usage: tool [-d del] [file ...]\nDoes things.\n")) << help;
  for (const char* s : {"-d, --delimiter del", "field delimiter", "--json", "-h, --help", "--version", "--root DIR",
                        "--passwd FILE", "--group FILE", "--audit-event FILE", "--audit-class FILE", "Exit status: 0."})
    EXPECT_NE(help.find(s), std::string::npos) << s;
}

TEST(CommandLine, VersionLine) { EXPECT_EQ(tools::version_line("praudit"), "praudit (bullion) " BULLION_VERSION); }

}  // namespace
}  // namespace bullion::testing
