package dev.runlog.tracking.internal.search;

import dev.runlog.tracking.InvalidFilterException;
import java.util.ArrayList;
import java.util.List;

/** Splits filter text into tokens, each with its 1-based column for error messages. */
final class Lexer {
    enum Type { WORD, DOT, BACKTICK, SINGLE_QUOTED, DOUBLE_QUOTED, NUMBER, LPAREN, RPAREN, COMMA, OPERATOR, END }

    record Token(Type type, String text, int column) {
        boolean isWord(String keyword) {
            return type == Type.WORD && text.equalsIgnoreCase(keyword);
        }

        /** How the token reads in an error message. */
        String describe() {
            return switch (type) {
                case END -> "the end of the filter";
                case SINGLE_QUOTED -> "'" + text + "'";
                case DOUBLE_QUOTED -> "\"" + text + "\"";
                case BACKTICK -> "`" + text + "`";
                default -> "'" + text + "'";
            };
        }
    }

    private Lexer() {
    }

    static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int column = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',' || c == '.' && (followsName(tokens, text, i) || !startsNumber(text, i))) {
                Type type = c == '(' ? Type.LPAREN : c == ')' ? Type.RPAREN : c == ',' ? Type.COMMA : Type.DOT;
                tokens.add(new Token(type, String.valueOf(c), column));
                i++;
            } else if (c == '\'' || c == '"' || c == '`') {
                StringBuilder value = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= text.length()) {
                        throw new InvalidFilterException(text, column, "unclosed " + (c == '`' ? "backtick" : "quote")
                                + " " + c + " opened");
                    }
                    char d = text.charAt(j);
                    if (d == c) {
                        // A doubled quote inside a quoted text stands for the quote itself, as in SQL.
                        if (j + 1 < text.length() && text.charAt(j + 1) == c) {
                            value.append(c);
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    if (d == '\\' && j + 1 < text.length() && (text.charAt(j + 1) == c || text.charAt(j + 1) == '\\')) {
                        value.append(text.charAt(j + 1));
                        j += 2;
                        continue;
                    }
                    value.append(d);
                    j++;
                }
                Type type = c == '\'' ? Type.SINGLE_QUOTED : c == '"' ? Type.DOUBLE_QUOTED : Type.BACKTICK;
                tokens.add(new Token(type, value.toString(), column));
                i = j + 1;
            } else if (c == '=' || c == '!' || c == '<' || c == '>') {
                String op;
                if (text.startsWith("!=", i) || text.startsWith("<=", i) || text.startsWith(">=", i)
                        || text.startsWith("<>", i) || text.startsWith("==", i)) {
                    op = text.substring(i, i + 2);
                } else if (c == '!') {
                    throw new InvalidFilterException(text, column, "expected '!=' but found '!'");
                } else {
                    op = String.valueOf(c);
                }
                tokens.add(new Token(Type.OPERATOR, op, column));
                i += op.length();
            } else if (startsNumber(text, i)) {
                int j = i;
                if (text.charAt(j) == '-' || text.charAt(j) == '+') {
                    j++;
                }
                while (j < text.length() && (Character.isDigit(text.charAt(j)) || text.charAt(j) == '.')) {
                    j++;
                }
                if (j < text.length() && (text.charAt(j) == 'e' || text.charAt(j) == 'E')) {
                    j++;
                    if (j < text.length() && (text.charAt(j) == '-' || text.charAt(j) == '+')) {
                        j++;
                    }
                    while (j < text.length() && Character.isDigit(text.charAt(j))) {
                        j++;
                    }
                }
                String number = text.substring(i, j);
                try {
                    Double.parseDouble(number);
                } catch (NumberFormatException e) {
                    throw new InvalidFilterException(text, column, "malformed number '" + number + "'");
                }
                tokens.add(new Token(Type.NUMBER, number, column));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < text.length() && isWordPart(text.charAt(j))) {
                    j++;
                }
                tokens.add(new Token(Type.WORD, text.substring(i, j), column));
                i = j;
            } else if ((c == '-' || c == '+') && i + 1 < text.length() && Character.isLetter(text.charAt(i + 1))) {
                // A sign before a word (-inf, -NaN): the word is what no number may be.
                int j = i + 1;
                while (j < text.length() && isWordPart(text.charAt(j))) {
                    j++;
                }
                throw new InvalidFilterException(text, column, "expected a number after '" + c + "'",
                        "'" + text.substring(i + 1, j) + "' (a filter takes numbers only: write infinity as 1e999, minus infinity as -1e999)");
            } else {
                throw new InvalidFilterException(text, column, "unexpected character '" + c + "'");
            }
        }
        tokens.add(new Token(Type.END, "", text.length() + 1));
        return tokens;
    }

    /** A dot right after a name (no space between) separates prefix and key, even before a digit. */
    private static boolean followsName(List<Token> tokens, String text, int i) {
        if (tokens.isEmpty() || i == 0 || Character.isWhitespace(text.charAt(i - 1))) {
            return false;
        }
        Type previous = tokens.get(tokens.size() - 1).type();
        return previous == Type.WORD || previous == Type.BACKTICK || previous == Type.DOUBLE_QUOTED;
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '/';
    }

    private static boolean startsNumber(String text, int i) {
        char c = text.charAt(i);
        if (Character.isDigit(c)) {
            return true;
        }
        if ((c == '-' || c == '+' || c == '.') && i + 1 < text.length()) {
            char next = text.charAt(i + 1);
            return Character.isDigit(next) || (c != '.' && next == '.' && i + 2 < text.length()
                    && Character.isDigit(text.charAt(i + 2)));
        }
        return false;
    }
}
