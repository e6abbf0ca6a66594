"""The one rule for quotes: a citation's quote occurs verbatim in its source's text.

Verbatim after normalising: runs of whitespace (line breaks too) count as one space, and every
quotation mark counts as the same, since the articles mix „“ and "" and an editor may type either.
Any other difference, one changed word or letter, and the quote is not in the text; then
closest_passage() finds what the text says there, for the editor's message. Plain text in, plain
values out: the admin, imports and the content checks (tests/content/) all ask here.
"""

import difflib

QUOTATION_MARKS = str.maketrans(dict.fromkeys("„“\"”‚‘'’«»", '"'))
# A passage shown in a message stays readable; longer quotes are cut in the middle of the message.
MAX_PASSAGE_WORDS = 60
# How many rough candidates closest_passage() measures exactly.
CANDIDATES = 8
# How many words closest_passage() may add or drop at either end of the best window.
SLACK = 3


def normalised(text: str) -> str:
    """Text with runs of whitespace collapsed and every quotation mark made alike, for verbatim comparison."""
    return " ".join(text.translate(QUOTATION_MARKS).split())


def occurs_verbatim(quote: str, text: str) -> bool:
    """Whether the quote occurs in the text, word for word, after normalising both; an empty quote never does."""
    wanted = normalised(quote)
    return bool(wanted) and wanted in normalised(text)


def closest_passage(quote: str, text: str) -> str:
    """The passage of the text (as many words as the quote) most like the quote; "" for an empty text."""
    words = text.split()
    width = max(1, min(len(quote.split()), MAX_PASSAGE_WORDS))
    if not words:
        return ""
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(normalised(quote))
    windows = [normalised(" ".join(words[start:start + width])) for start in range(max(1, len(words) - width + 1))]

    def rough_likeness(start: int) -> float:
        matcher.set_seq1(windows[start])
        return matcher.quick_ratio()

    def likeness(start: int) -> float:
        matcher.set_seq1(windows[start])
        return matcher.ratio()

    # A cheap bound (shared characters) picks a few candidates; the exact measure decides among them
    # and their neighbours, so a long article costs milliseconds, not seconds.
    step = max(1, width // 4)
    candidates = sorted(range(0, len(windows), step), key=rough_likeness, reverse=True)[:CANDIDATES]
    near = {start for best in candidates for start in range(max(0, best - step), min(len(windows), best + step + 1))}
    best = max(sorted(near), key=likeness)
    # The window has the quote's length in words; a few words more or less at either end may say it better.
    spans = [(start, end) for start in range(max(0, best - SLACK), best + SLACK + 1)
             for end in range(best + width - SLACK, min(len(words), best + width + SLACK) + 1) if end > start]

    def span_likeness(span) -> float:
        matcher.set_seq1(normalised(" ".join(words[span[0]:span[1]])))
        return matcher.ratio()

    start, end = max(spans, key=span_likeness, default=(best, best + width))
    return " ".join(words[start:end])
