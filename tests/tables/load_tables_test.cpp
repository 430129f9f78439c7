#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tables_test_support.h"

namespace bullion::tables {
namespace {

using testing::corpus_etc;
using testing::golden_root;

namespace fs = std::filesystem;

// A scratch root directory removed when the test ends.
class TempRoot {
 public:
  TempRoot() {
    path_ = fs::temp_directory_path() /
            ("bullion_root_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(path_ / "etc/security");
  }
  ~TempRoot() { fs::remove_all(path_); }
  void write(const std::string& relative, std::string_view text) { std::ofstream(path_ / relative) << text; }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

TEST(LoadTables, ReadsEverythingFromGoldenRoot) {
  TableOptions options;
  options.root = golden_root();
  auto tables = load_tables(options);
  ASSERT_TRUE(tables.ok()) << tables.error().message;
  EXPECT_EQ(tables->accounts->user_name(0), "root");
  EXPECT_EQ(tables->accounts->group_name(104), "postgres");
  ASSERT_NE(tables->events->find(uint16_t{23}), nullptr);
  EXPECT_EQ(tables->events->find(uint16_t{23})->name, "AUE_EXECVE");
  EXPECT_EQ(tables->classes->find("ex")->mask, 0x40000000u);
}

TEST(LoadTables, FallsBackToBuiltinsUnderRootWithoutSecurityFiles) {
  TempRoot root;
  root.write("etc/passwd", "alice:x:501:20::/home/alice:/bin/sh\n");
  TableOptions options;
  options.root = root.path();
  auto tables = load_tables(options);
  ASSERT_TRUE(tables.ok()) << tables.error().message;
  EXPECT_EQ(tables->events.get(), &EventTable::builtin());
  EXPECT_EQ(tables->classes.get(), &ClassTable::builtin());
  EXPECT_EQ(tables->accounts->user_name(501), "alice");
  EXPECT_EQ(tables->accounts->group_name(0), "root");  // no ROOT/etc/group: system
}

TEST(LoadTables, SingleFileOptionOverridesRoot) {
  TempRoot root;
  root.write("etc/security/audit_event", "23:AUE_MY_EXECVE:mine:ex\n");
  TableOptions options;
  options.root = golden_root();
  options.audit_event = root.path() + "/etc/security/audit_event";
  auto tables = load_tables(options);
  ASSERT_TRUE(tables.ok()) << tables.error().message;
  EXPECT_EQ(tables->events->find(uint16_t{23})->name, "AUE_MY_EXECVE");
  EXPECT_EQ(tables->events->find(uint16_t{23})->class_mask, 0x40000000u);
  EXPECT_EQ(tables->events->find(uint16_t{1}), nullptr);
}

TEST(LoadTables, BuiltinEventsFollowAClassTableFromAFile) {
  TempRoot root;
  root.write("etc/security/audit_class", "0x1:pc:process only\n0x2:ex:exec\n0x0:no:none\n");
  TableOptions options;
  options.root = root.path();
  auto tables = load_tables(options);
  ASSERT_TRUE(tables.ok()) << tables.error().message;
  EXPECT_EQ(tables->events->find(uint16_t{23})->class_mask, 0x3u);
}

TEST(LoadTables, ParseErrorNamesTheFile) {
  TempRoot root;
  root.write("etc/security/audit_event", "1:AUE_EXIT:exit(2):pc\nbroken\n");
  TableOptions options;
  options.root = root.path();
  auto tables = load_tables(options);
  ASSERT_FALSE(tables.ok());
  EXPECT_EQ(tables.error().code, Errc::Parse);
  EXPECT_NE(tables.error().message.find(root.path() + "/etc/security/audit_event"), std::string::npos)
      << tables.error().message;
  EXPECT_NE(tables.error().message.find("line 2"), std::string::npos);
}

TEST(LoadTables, MissingExplicitFileIsAnErrorNamingIt) {
  TableOptions options;
  options.audit_class = "/nonexistent/audit_class";
  auto tables = load_tables(options);
  ASSERT_FALSE(tables.ok());
  EXPECT_EQ(tables.error().code, Errc::NotFound);
  EXPECT_NE(tables.error().message.find("/nonexistent/audit_class"), std::string::npos);
}

TEST(LoadTables, MissingRootIsAnError) {
  TableOptions options;
  options.root = "/nonexistent/root";
  auto tables = load_tables(options);
  ASSERT_FALSE(tables.ok());
  EXPECT_NE(tables.error().message.find("/nonexistent/root"), std::string::npos);
}

TEST(LoadTables, DefaultsUseHostOrBuiltinTables) {
  auto tables = load_tables(TableOptions{});
  ASSERT_TRUE(tables.ok()) << tables.error().message;
  if (!fs::exists("/etc/security/audit_event")) {
    EXPECT_EQ(tables->events.get(), &EventTable::builtin());
  }
  EXPECT_NE(tables->events->find(uint16_t{23}), nullptr);
  EXPECT_EQ(tables->accounts->user_name(0), "root");
}

TEST(LoadTables, CorpusFilesGivenOneByOne) {
  TableOptions options;
  options.audit_class = corpus_etc("audit_class");
  options.audit_event = corpus_etc("audit_event");
  options.passwd = golden_root() + "/etc/passwd";
  auto tables = load_tables(options);
  ASSERT_TRUE(tables.ok()) << tables.error().message;
  EXPECT_EQ(tables->events->entries().size(), EventTable::builtin().entries().size());
  EXPECT_EQ(tables->accounts->user_name(1000), "cloudsdk");
}

}  // namespace
}  // namespace bullion::tables
