"""The rich text features editors get everywhere (page builder, team biographies)."""

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
SHORT_TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]
