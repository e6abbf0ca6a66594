"""Teacher reports on a quiz: overview, results, responses and item analysis, on pages, as CSV and in the API.

- filters.py:  which attempts a report covers (first attempts or all, a date range), as a validated form.
- selectors.py: overview and question figures, read from the tallies, as frozen dataclasses.
- tallies.py:  the sums per day that closing attempts keep (and a rebuild recounts), which those read.
- learners.py: the reads per learner: results, responses for the CSV, one attempt's review.
- exports.py:  the CSV downloads, streamed row by row.
- access.py:   who may read reports.

The figures themselves are pure functions in quizzes/measures.py, which the quiz statistics share.
"""
