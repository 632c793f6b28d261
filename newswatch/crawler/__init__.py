"""The Scrapy project: settings, the article item, the news spider and pure extraction."""
