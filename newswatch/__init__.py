"""newswatch: crawl news sites, normalise dates, group stories, index and alert."""

__version__ = "0.1.0"
