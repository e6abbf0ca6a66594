"""Date formats of the site's languages where Django's defaults do not fit (FORMAT_MODULE_PATH)."""
