// Tokens of the bsmtrace configuration language, split as real bsmtrace's
// flex scanner splits them (see docs/bsmtrace.md, "Lexing").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bullion::trace {

enum class TokenType : uint8_t {
  End,
  Word,     // bare word or quoted string (the original's STRING)
  Integer,  // unsigned decimal
  Keyword,  // a bare word that is one of the language's keywords
  OpenBrace,
  CloseBrace,
  OpenAngle,
  CloseAngle,
  Semicolon,
  Comma,
  Error,  // text holds the reason
};

struct Token {
  TokenType type = TokenType::End;
  std::string text;     // the word, the unescaped string, the keyword
  bool quoted = false;  // came from "..."
  uint64_t number = 0;  // for Integer
  uint32_t line = 1, column = 1;
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}
  Token next();

 private:
  void skip_blanks_and_comments();
  Token quoted(Token token);
  Token word(Token token);
  char advance();

  std::string_view text_;
  size_t pos_ = 0;
  uint32_t line_ = 1, column_ = 1;
};

}  // namespace bullion::trace
