// JsonWriter: scopes, separators, escaping, "_hex" twins, and keys that
// cannot repeat in one object.
#include "bullion/text/json_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bullion/bsm/token.h"
#include "bullion/text/json.h"
#include "bullion/text/outbuf.h"

namespace bullion::text {
namespace {

TEST(JsonWriter, NestedScopesGetTheirSeparatorsAndClosers) {
  std::string out;
  JsonWriter w(out);
  {
    auto record = w.object();
    w.field("pid", 42);
    w.field("delta", int64_t{-7});
    w.bool_field("ok", true);
    {
      auto list = w.array("ids");
      w.element(1u);
      w.element(2u);
      auto inner = w.object();
      w.string_field("k", "v");
    }
    auto empty = w.object("empty");
  }
  EXPECT_EQ(out, R"({"pid":42,"delta":-7,"ok":true,"ids":[1,2,{"k":"v"}],"empty":{}})");
  EXPECT_EQ(w.depth(), 0u);
}

TEST(JsonWriter, TopLevelValuesFollowEachOtherWithoutSeparators) {
  std::string out;
  JsonWriter w(out);
  for (int i = 0; i < 2; ++i) {
    {
      auto o = w.object();
      w.field("i", i);
    }
    out += '\n';  // JSON Lines: the caller ends the line
  }
  EXPECT_EQ(out, "{\"i\":0}\n{\"i\":1}\n");
}

TEST(JsonWriter, EscapesQuotesBackslashControlsDelAndLineSeparators) {
  std::string out;
  JsonWriter w(out);
  {
    auto o = w.object();
    w.string_field("s", "a\"b\\c\n\t\r\x01\x1f\x7f \xe2\x80\xa8 \xe2\x80\xa9 \xc3\xa9<&>");
  }
  EXPECT_EQ(out, R"({"s":"a\"b\\c\n\t\r\u0001\u001f\u007f \u2028 \u2029 é<&>"})");
}

TEST(JsonWriter, InvalidUtf8BecomesReplacementCharacterWithExactBytesInHexTwin) {
  std::string out;
  JsonWriter w(out);
  {
    auto o = w.object();
    w.string_field("path", "/tmp/a\xff\xc3");
    w.string_field("fine", "ok");
  }
  EXPECT_EQ(out, R"({"path":"/tmp/a\ufffd\ufffd","path_hex":"2f746d702f61ffc3","fine":"ok"})");
}

TEST(JsonWriter, StringListGetsAHexListWhenAnyEntryIsNotUtf8) {
  std::string out;
  JsonWriter w(out);
  {
    auto o = w.object();
    const std::vector<std::string_view> good = {"a", "b"}, bad = {"x", "\xfe"};
    w.string_list_field("good", good);
    w.string_list_field("bad", bad);
  }
  EXPECT_EQ(out, R"({"good":["a","b"],"bad":["x","\ufffd"],"bad_hex":["78","fe"]})");
}

TEST(JsonWriter, KeysAreEscapedToo) {
  std::string out;
  JsonWriter w(out);
  {
    auto o = w.object();
    w.field("a\"b", 1);
  }
  EXPECT_EQ(out, R"({"a\"b":1})");
}

TEST(JsonWriter, ContinuesAnObjectOpenedElsewhere) {
  std::string out = "{\"first\":1";
  {
    JsonWriter w(out, JsonWriter<std::string>::ContinueObject{});
    w.string_field("second", "2");
  }
  out += '}';
  EXPECT_EQ(out, R"({"first":1,"second":"2"})");
}

TEST(JsonWriter, WritesIntoTheOutputBuffer) {
  OutBuf buf;
  JsonWriter w(buf);
  {
    auto o = w.object();
    w.field("n", uint64_t{18446744073709551615u});
  }
  EXPECT_EQ(std::string_view(buf.data(), buf.size()), R"({"n":18446744073709551615})");
}

TEST(JsonWriterDeathTest, AKeyWrittenTwiceInOneObjectAborts) {
  std::string out;
  EXPECT_DEATH(
      {
        JsonWriter w(out);
        auto o = w.object();
        w.field("type", 1);
        w.string_field("type", "again");
      },
      "written twice.*type");
}

TEST(JsonWriterDeathTest, ATwinKeyClashingWithAFieldAborts) {
  std::string out;
  EXPECT_DEATH(
      {
        JsonWriter w(out);
        auto o = w.object();
        w.string_field("path_hex", "x");
        w.string_field("path", "\xff");  // its twin would repeat path_hex
      },
      "written twice.*path_hex");
}

TEST(JsonWriterDeathTest, ADeclaredKeyCannotBeWrittenAgain) {
  std::string out;
  EXPECT_DEATH(
      {
        JsonWriter w(out);
        auto o = w.object();
        w.declare_key("event_name");
        w.field("event_name", 1);
      },
      "written twice.*event_name");
}

TEST(JsonWriter, TheSameKeyInDifferentObjectsIsFine) {
  std::string out;
  JsonWriter w(out);
  {
    auto o = w.object();
    w.field("size", 1);
    auto tokens = w.array("tokens");
    for (int i = 0; i < 2; ++i) {
      auto t = w.object();
      w.field("size", i);
    }
  }
  EXPECT_EQ(out, R"({"size":1,"tokens":[{"size":0},{"size":1}]})");
}

TEST(JsonWriterDeathTest, AValueWithoutAKeyInsideAnObjectAborts) {
  std::string out;
  EXPECT_DEATH(
      {
        JsonWriter w(out);
        auto o = w.object();
        w.element(1);
      },
      "value without a key");
}

// The table self-test: a field whose name is a token envelope key is
// renamed, for every token in tokens.def.
TEST(JsonFieldKeys, NoFieldKeyEqualsAnEnvelopeKey) {
  for (const bsm::TokenInfo& token : bsm::all_tokens()) {
    for (const bsm::FieldInfo& field : token.fields) {
      const std::string key = json_field_key(token, field);
      for (std::string_view envelope : kTokenEnvelopeKeys) EXPECT_NE(key, envelope) << token.enum_name;
    }
  }
}

TEST(JsonFieldKeys, ClashingNamesGetTheTokenNameInFront) {
  const auto key = [](bsm::TokenKind kind, std::string_view field) {
    for (const bsm::FieldInfo& f : bsm::token_info(kind).fields)
      if (f.name == field) return json_field_key(bsm::token_info(kind), f);
    return std::string("(no such field)");
  };
  EXPECT_EQ(key(bsm::TokenKind::Socket, "type"), "socket_type");
  EXPECT_EQ(key(bsm::TokenKind::SocketEx, "type"), "socket_type");
  EXPECT_EQ(key(bsm::TokenKind::Ipc, "type"), "ipc_type");
  EXPECT_EQ(key(bsm::TokenKind::Ipc, "id"), "ipc_id");
  EXPECT_EQ(key(bsm::TokenKind::Ip, "id"), "ip_id");
  EXPECT_EQ(key(bsm::TokenKind::PrivSet, "type"), "privilege_type");
  EXPECT_EQ(key(bsm::TokenKind::Path, "path"), "path");
}

}  // namespace
}  // namespace bullion::text
