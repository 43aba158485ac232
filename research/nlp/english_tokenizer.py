"""spaCy's English tokenizer, without importing spaCy at run time.

English needs only spaCy's blank tokenizer (there is no English model on the registry), yet
`import spacy` took about two seconds, torch included (thinc imports it when installed): longer than
embedding a thousand utterances. This module gives the same tokens from the same rules:

- the rules (prefix, suffix, infix and URL patterns, the special cases such as "don't" → "do",
  "n't", and the token sequences that spaCy's special-case matcher joins back, English stop words)
  are read once from the installed spaCy and stored as JSON in `models/derived/`, named after
  spaCy's version, by `ecoute models prepare` or on first use;
- `EnglishTokenizer` follows the algorithm of spaCy's `tokenizer.pyx` (`_tokenize_affixes`,
  `_split_affixes`, `_attach_tokens`, `_apply_special_cases`) step by step, so that a test can
  compare it with spaCy token for token on generated text.

When the rules cannot be read or written, `load()` returns None and the caller uses spaCy itself.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from research.nlp import derived

FORMAT = 1  # bump when the stored rules change shape


RULE_FILES = "spacy-en-tokenizer-*.json"  # one per spaCy version and format


def rules_path(root: Path, spacy_version: str) -> Path:
    return root / RULE_FILES.replace("*", f"{spacy_version}-v{FORMAT}")


def spacy_version() -> str | None:
    try:
        return metadata.version("spacy")
    except metadata.PackageNotFoundError:
        return None


def export_rules() -> dict:
    """The English tokenizer's rules as plain data, read from spaCy (imports it: about two seconds)."""
    import spacy
    from spacy.attrs import ORTH
    from spacy.lang.en.stop_words import STOP_WORDS
    from spacy.tokenizer import Tokenizer

    tokenizer = spacy.blank("en").tokenizer
    plain = Tokenizer(tokenizer.vocab, rules={}, prefix_search=tokenizer.prefix_search,
                      suffix_search=tokenizer.suffix_search, infix_finditer=tokenizer.infix_finditer,
                      token_match=tokenizer.token_match, url_match=tokenizer.url_match)

    def pattern(fn):
        compiled = getattr(fn, "__self__", None) if fn is not None else None
        return None if compiled is None else {"pattern": compiled.pattern, "flags": compiled.flags}

    specials = {text: [tok.get(ORTH, tok.get("ORTH")) for tok in substrings]
                for text, substrings in tokenizer.rules.items()}
    # add_special_case: with faster heuristics, only cases that affixes, infixes or a space would
    # split are given to the matcher, as their tokenization without special cases
    joined = {text: [t.text for t in plain(text)] for text in specials
              if not tokenizer.faster_heuristics or tokenizer.find_prefix(text) or tokenizer.find_infix(text)
              or tokenizer.find_suffix(text) or " " in text}
    return {"spacy": spacy.__version__, "format": FORMAT,
            "prefix": pattern(tokenizer.prefix_search), "suffix": pattern(tokenizer.suffix_search),
            "infix": pattern(tokenizer.infix_finditer), "token_match": pattern(tokenizer.token_match),
            "url_match": pattern(tokenizer.url_match), "specials": specials, "matcher": joined,
            "stop_words": sorted(STOP_WORDS)}


def prepare(root: Path | None = None, force: bool = False) -> Path:
    """Write the rules of the installed spaCy to models/derived/ (or `root`); returns the file."""
    version = spacy_version()
    if version is None:
        raise OSError("spaCy is not installed")
    if not force:
        for candidate in ([root] if root else derived.roots()):
            if rules_path(candidate, version).exists():
                return rules_path(candidate, version)
    root = root or derived.writable_root()
    rules = export_rules()
    path = rules_path(root, rules["spacy"])
    derived.write_atomically(path, json.dumps(rules, ensure_ascii=False) + "\n")
    return path


@lru_cache(maxsize=1)
def load() -> EnglishTokenizer | None:
    """The tokenizer for the installed spaCy's rules, preparing them on first use; None if impossible."""
    try:
        return EnglishTokenizer(json.loads(prepare().read_text(encoding="utf-8")))
    except Exception:  # no writable folder, a damaged file, a spaCy whose internals moved: spaCy itself, then
        return None


def _compiled(entry: dict | None, method: str) -> Callable | None:
    return None if entry is None else getattr(re.compile(entry["pattern"], entry["flags"]), method)


def is_punct(text: str) -> bool:
    """spaCy's IS_PUNCT: every character in a Unicode punctuation category."""
    return all(unicodedata.category(char).startswith("P") for char in text)


class EnglishTokenizer:
    """Text → token strings, as `spacy.blank("en")` splits it (spaCy 3.8's tokenizer.pyx, in Python)."""

    CACHE_SIZE = 100_000

    def __init__(self, rules: dict):
        self.spacy_version = rules["spacy"]
        self.stop_words = frozenset(rules["stop_words"])
        self._prefix = _compiled(rules["prefix"], "search")
        self._suffix = _compiled(rules["suffix"], "search")
        self._infixes = _compiled(rules["infix"], "finditer")
        self._token_match = _compiled(rules["token_match"], "match")
        self._url_match = _compiled(rules["url_match"], "match")
        self._specials = {text: tuple(orths) for text, orths in rules["specials"].items()}
        self._joined = {tuple(tokens): text for text, tokens in rules["matcher"].items()}
        self._joined_lengths = sorted({len(tokens) for tokens in self._joined})
        self._joined_first = {tokens[0] for tokens in self._joined}
        self._cache: dict[str, tuple[str, ...]] = {}

    def __call__(self, text: str) -> list[str]:
        words, spaces = self._tokenize_affixes(text)
        return self._apply_special_cases(words, spaces)

    # -- Tokenizer._tokenize_affixes: split at whitespace runs; a single ' ' becomes the token's trailing space
    def _tokenize_affixes(self, text: str) -> tuple[list[str], list[bool]]:
        words: list[str] = []
        spaces: list[bool] = []
        if not text:
            return words, spaces
        in_ws = text[0].isspace()
        start = 0
        for i, char in enumerate(text):
            if char.isspace() != in_ws:
                if start < i:
                    self._chunk(text[start:i], words, spaces)
                if char == " ":
                    spaces[-1] = True
                    start = i + 1
                else:
                    start = i
                in_ws = not in_ws
        if start < len(text):
            self._chunk(text[start:], words, spaces)
            spaces[-1] = text[-1] == " " and not in_ws
        return words, spaces

    def _chunk(self, chunk: str, words: list[str], spaces: list[bool]) -> None:
        tokens = self._specials.get(chunk) or self._cache.get(chunk)
        if tokens is None:
            tokens = self._tokenize(chunk)
            if len(self._cache) < self.CACHE_SIZE:
                self._cache[chunk] = tokens
        words.extend(tokens)
        spaces.extend([False] * len(tokens))

    # -- Tokenizer._tokenize = _split_affixes + _attach_tokens
    def _tokenize(self, chunk: str) -> tuple[str, ...]:
        prefixes: list[str] = []
        suffixes: list[str] = []
        rest = self._split_affixes(chunk, prefixes, suffixes)
        return tuple(prefixes) + self._attach(rest) + tuple(reversed(suffixes))

    def _split_affixes(self, string: str, prefixes: list[str], suffixes: list[str]) -> str:
        last_size = 0
        while string and len(string) != last_size:
            if self._token_match and self._token_match(string):
                break
            if string in self._specials:
                break
            last_size = len(string)
            pre_len = self._prefix_length(string)
            if pre_len:
                prefix, minus_pre = string[:pre_len], string[pre_len:]
                if minus_pre and minus_pre in self._specials:
                    prefixes.append(prefix)
                    return minus_pre
            suf_len = self._suffix_length(string[pre_len:])
            if suf_len:
                suffix, minus_suf = string[-suf_len:], string[:-suf_len]
                if minus_suf and minus_suf in self._specials:
                    suffixes.append(suffix)
                    return minus_suf
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                prefixes.append(prefix)
                suffixes.append(suffix)
                string = string[pre_len:-suf_len]
            elif pre_len:
                prefixes.append(prefix)
                string = minus_pre
            elif suf_len:
                suffixes.append(suffix)
                string = minus_suf
        return string

    def _prefix_length(self, string: str) -> int:
        match = self._prefix(string) if self._prefix else None
        return match.end() - match.start() if match else 0

    def _suffix_length(self, string: str) -> int:
        match = self._suffix(string) if self._suffix else None
        return match.end() - match.start() if match else 0

    def _attach(self, string: str) -> tuple[str, ...]:
        if not string:
            return ()
        known = self._specials.get(string) or self._cache.get(string)
        if known is not None:
            return known
        if (self._token_match and self._token_match(string)) or (self._url_match and self._url_match(string)):
            return (string,)
        matches = list(self._infixes(string)) if self._infixes else []
        if not matches:
            return (string,)
        out = []
        start = 0
        for match in matches:
            infix_start, infix_end = match.start(), match.end()
            if infix_start == 0:  # an infix at the very start is not split off
                continue
            if infix_start != start:
                out.append(string[start:infix_start])
            if infix_start != infix_end:
                out.append(string[infix_start:infix_end])
            start = infix_end
        if string[start:]:
            out.append(string[start:])
        return tuple(out)

    # -- Tokenizer._apply_special_cases: special cases that affixes split are joined back
    def _apply_special_cases(self, words: list[str], spaces: list[bool]) -> list[str]:
        matches = []
        for start, word in enumerate(words):
            if word not in self._joined_first:
                continue
            for length in self._joined_lengths:
                if start + length > len(words):
                    break
                if tuple(words[start:start + length]) in self._joined:
                    matches.append((start, start + length))
        if not matches:
            return words
        # longest first, then leftmost; a span is kept when its first and last tokens are free, and
        # claims all its tokens whether kept or not (_filter_special_spans)
        matches.sort(key=lambda m: (m[1] - m[0], -m[0]))
        claimed: set[int] = set()
        kept = []
        for start, end in reversed(matches):
            if start not in claimed and end - 1 not in claimed:
                kept.append((start, end))
            claimed.update(range(start, end))
        out: list[str] = []
        position = 0
        for start, end in sorted(kept):
            out.extend(words[position:start])
            text = "".join(w + (" " if s else "") for w, s in zip(words[start:end - 1], spaces[start:end - 1]))
            text += words[end - 1]
            out.extend(self._specials.get(text, words[start:end]))
            position = end
        out.extend(words[position:])
        return out
