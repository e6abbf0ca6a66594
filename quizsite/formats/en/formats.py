"""English dates as the content's British English writes them, and unambiguous to every reader:
"4 Dec 2026, 19:09". Django's "en" formats are American ("12/04/2026 7:09 p.m.", which a British
reader takes for 12 April). German keeps Django's own."""

from django.conf.locale.en_GB.formats import *  # noqa: F403 - the British formats, then ours over them

DATE_FORMAT = "j F Y"  # 4 December 2026
TIME_FORMAT = "H:i"  # 19:09
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"  # 4 Dec 2026 (British d/m/Y would read as 12 April to an American)
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 4 Dec 2026, 19:09
