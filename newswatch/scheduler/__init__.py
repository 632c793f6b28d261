"""The runner: crawl wiring (`crawling.py`: in-process, or one subprocess per crawl) and the
monitor behind `newswatch run` (`monitor.py`)."""
