// The token table, the decoder and the encoder against OpenBSM's reference
// tokens and records (../shared/corpus/openbsm-reference).
#include "bullion/bsm/token.h"

#include <dirent.h>
#include <gtest/gtest.h>

#include <set>

#include "bullion/bsm/encoder.h"
#include "support/run.h"

namespace bullion::bsm {
namespace {

std::string reference_dir() { return bullion::testing::shared_dir() + "/corpus/openbsm-reference"; }

std::vector<std::string> reference_files(const std::string& suffix) {
  std::vector<std::string> names;
  if (DIR* d = opendir(reference_dir().c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string n = e->d_name;
      if (n.find(suffix) != std::string::npos && n.find('.') == std::string::npos) names.push_back(n);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<uint8_t> bytes_of(const std::string& name) {
  const std::string s = bullion::testing::read_file(reference_dir() + "/" + name);
  return {s.begin(), s.end()};
}

TEST(TokenTable, IdsAndKindsAreUniqueAndConsistent) {
  std::set<uint8_t> ids;
  std::set<std::string_view> names;
  for (const TokenInfo& t : all_tokens()) {
    EXPECT_TRUE(names.insert(t.enum_name).second) << t.enum_name;
    if (t.kind == TokenKind::Unknown) continue;
    EXPECT_TRUE(ids.insert(t.id).second) << "duplicate id " << int(t.id);
    EXPECT_EQ(kind_for_id(t.id), t.kind) << t.enum_name;
    EXPECT_FALSE(t.text_name.empty());
    EXPECT_LE(t.fields.size(), kMaxFields);
  }
  EXPECT_EQ(kind_for_id(0xee), TokenKind::Unknown);
}

TEST(TokenTable, CountedFieldsFollowTheirLength) {
  for (const TokenInfo& t : all_tokens()) {
    for (size_t i = 0; i < t.fields.size(); ++i) {
      const Wire w = t.fields[i].wire;
      if (w == Wire::Counted) {
        ASSERT_GT(i, 0u) << t.enum_name;
        EXPECT_EQ(t.fields[i - 1].wire, Wire::Len16) << t.enum_name << "." << t.fields[i].name;
      }
      if (w == Wire::StringList || w == Wire::GroupList) {
        ASSERT_GT(i, 0u);
        EXPECT_TRUE(t.fields[i - 1].wire == Wire::Count16 || t.fields[i - 1].wire == Wire::Count32) << t.enum_name;
      }
    }
  }
}

class ReferenceToken : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceToken, DecodesWholeAndReencodesToTheSameBytes) {
  const std::vector<uint8_t> bytes = bytes_of(GetParam());
  ASSERT_FALSE(bytes.empty());
  // A bare token has no trailer after it; give the decoder room as a record would.
  std::vector<uint8_t> padded = bytes;
  padded.insert(padded.end(), 7, 0);
  DecodedToken t;
  Status st = decode_token(padded, 0, Dialect::Full, t);
  ASSERT_TRUE(st.ok()) << st.error().describe();
  EXPECT_NE(t.kind, TokenKind::Unknown) << GetParam();
  EXPECT_EQ(t.length, bytes.size()) << GetParam();
  std::vector<uint8_t> again;
  reencode_token(t, again);
  EXPECT_EQ(again, bytes) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(OpenBsm, ReferenceToken, ::testing::ValuesIn(reference_files("_token")), [](const auto& info) {
  std::string n = info.param;
  for (char& c : n)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
});

class ReferenceRecord : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceRecord, EveryTokenDecodesAndTheRecordReencodes) {
  const std::vector<uint8_t> bytes = bytes_of(GetParam());
  TokenCursor cursor(bytes, 0, Dialect::Full);
  DecodedToken t;
  std::vector<uint8_t> again;
  int tokens = 0;
  while (cursor.next(t)) {
    EXPECT_NE(t.kind, TokenKind::Unknown) << GetParam() << " token " << tokens;
    reencode_token(t, again);
    ++tokens;
  }
  ASSERT_FALSE(cursor.failed()) << cursor.error().describe();
  EXPECT_GE(tokens, 3);  // header, something, trailer
  EXPECT_EQ(again, bytes);
}

INSTANTIATE_TEST_SUITE_P(OpenBsm, ReferenceRecord, ::testing::ValuesIn(reference_files("_record")),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(Decoder, TokenOverrunNamesOffsetAndToken) {
  // A path token that claims 0x20 bytes where 3 remain.
  const uint8_t bytes[] = {0x23, 0x00, 0x20, 'a', 'b', 0};
  DecodedToken t;
  Status st = decode_token(bytes, 100, Dialect::Full, t);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, Errc::TokenOverrun);
  EXPECT_EQ(st.error().offset, 103u);
  EXPECT_EQ(st.error().token_id, 0x23);
}

TEST(Decoder, BadArbitraryUnitIsRejected) {
  const uint8_t bytes[] = {0x21, 3, 9, 1, 0xaa, 0x13, 0xb1, 0x05, 0, 0, 0, 0};
  DecodedToken t;
  Status st = decode_token(bytes, 0, Dialect::Full, t);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, Errc::BadField);
}

TEST(Decoder, SubjectExWithBadAddressTypeIsRejected) {
  std::vector<uint8_t> b = {0x7a};
  b.resize(1 + 8 * 4, 0);
  b.insert(b.end(), {0, 0, 0, 7});  // address type 7
  b.resize(b.size() + 16, 0);
  DecodedToken t;
  Status st = decode_token(b, 0, Dialect::Full, t);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, Errc::BadField);
}

TEST(Decoder, OpenBsmDialectTreatsLegacyGroupsAsUnknown) {
  const uint8_t rec[] = {0x34, 0, 1, 0, 0, 0, 5, 0x13, 0xb1, 0x05, 0, 0, 0, 14};
  DecodedToken t;
  ASSERT_TRUE(decode_token(rec, 0, Dialect::OpenBsm, t).ok());
  EXPECT_EQ(t.kind, TokenKind::Unknown);
  EXPECT_EQ(t.length, 7u);  // everything up to the trailer
  ASSERT_TRUE(decode_token(rec, 0, Dialect::Full, t).ok());
  EXPECT_EQ(t.kind, TokenKind::Groups);
  EXPECT_EQ(t.fields[0].number, 1u);
}

TEST(Encoder, RecordBuilderProducesAFramedRecordThatDecodes) {
  RecordBuilder b;
  const uint8_t host[4] = {127, 0, 0, 1};
  b.begin_header32_ex(23, 0, 1700000000, 5, host);
  b.path("/bin/ls");
  const std::string_view args[] = {"ls", "-l", "with space"};
  b.exec_args(args);
  Subject s;
  s.auid = 1000;
  s.pid = 42;
  b.subject32_ex(s);
  b.return32(2, 0xffffffff);
  const auto rec = b.finish();
  ASSERT_GE(rec.size(), 20u);
  EXPECT_EQ(load_be32_at(rec, 1), rec.size());
  EXPECT_EQ(rec[rec.size() - 7], 0x13);
  EXPECT_EQ(load_be32_at(rec, rec.size() - 4), rec.size());
  TokenCursor c(rec, 0, Dialect::Full);
  DecodedToken t;
  std::vector<TokenKind> kinds;
  while (c.next(t)) kinds.push_back(t.kind);
  ASSERT_FALSE(c.failed()) << c.error().describe();
  EXPECT_EQ(kinds, (std::vector<TokenKind>{TokenKind::Header32Ex, TokenKind::Path, TokenKind::ExecArgs,
                                           TokenKind::Subject32Ex, TokenKind::Return32, TokenKind::Trailer}));
}

}  // namespace
}  // namespace bullion::bsm
