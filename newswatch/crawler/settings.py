"""Scrapy settings for newswatch: polite by default (robots.txt, AutoThrottle, a per-domain
concurrency limit, a User-Agent that names the project). Component settings are prefixed
NEWSWATCH_*; the CLI fills NEWSWATCH_CONFIG and NEWSWATCH_STORE from the config file."""

from newswatch import __version__

BOT_NAME = "newswatch"
SPIDER_MODULES = ["newswatch.crawler.spiders"]
NEWSPIDER_MODULE = "newswatch.crawler.spiders"

USER_AGENT = f"newswatch/{__version__} (news monitoring crawler; respects robots.txt)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

EXTENSIONS = {
    # the source's state and health, saved at the end of each crawl
    "newswatch.crawler.extensions.health.SourceHealth": 500,
}

ITEM_PIPELINES = {
    "newswatch.pipelines.validate.ValidatePipeline": 100,
    "newswatch.pipelines.dates.DatesPipeline": 200,
    "newswatch.pipelines.statements.StatementsPipeline": 300,
    "newswatch.pipelines.dedupe.DedupePipeline": 800,
    "newswatch.pipelines.alerts.AlertsPipeline": 850,
    "newswatch.pipelines.store.StorePipeline": 900,
}

# Where the config and store are: the CLI sets both; `scrapy crawl news` reads the config
# named by $NEWSWATCH_CONFIG (default newswatch.yaml) and its `store:`.
NEWSWATCH_CONFIG = None
NEWSWATCH_STORE = None
# Worker processes that extract articles (0: in the crawling process). Default: one per core.
NEWSWATCH_EXTRACT_WORKERS = None
# Articles buffered before the store writes them in one batch.
NEWSWATCH_STORE_BATCH = 100
# Articles whose story signatures are looked up in the store together.
NEWSWATCH_DEDUPE_BATCH = 10
# Statements kept per article.
NEWSWATCH_STATEMENTS_MAX = 200
# Dates: how far in the future a publication date may lie (clock skew, minutes), and how far
# an article's own date may be from its feed entry's before the entry is believed (hours).
NEWSWATCH_DATES_FUTURE_MINUTES = 120
NEWSWATCH_DATES_ENTRY_GAP_HOURS = 48
# Where batches the store cannot take wait (durable spool, replayed in order); default: the
# folder .newswatch-spool beside the config file ($NEWSWATCH_SPOOL_DIR also works).
NEWSWATCH_SPOOL_DIR = None

LOG_LEVEL = "INFO"

# Politeness: robots.txt Crawl-delay and Retry-After slow a host down (capped, seconds).
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newswatch.crawler.middlewares.politeness.CrawlDelayRobotsTxtMiddleware": 100,
    "newswatch.crawler.middlewares.politeness.RetryAfterMiddleware": 560,
}
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
NEWSWATCH_MAX_CRAWL_DELAY = 60.0
NEWSWATCH_MAX_RETRY_AFTER = 120.0
# render_js sources: browser pages open at once, and a page's load timeout (seconds).
NEWSWATCH_BROWSER_PAGES = 4
NEWSWATCH_BROWSER_TIMEOUT = 30
