"""Date and number formats per language (settings.FORMAT_MODULE_PATH): what a
language sets here wins over Django's own formats for it."""
