"""Pure extraction: HTML, feeds and sitemaps in, plain fields out. No Scrapy imports here."""
