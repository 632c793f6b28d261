package newswatch.testanalysis;

import org.apache.lucene.analysis.Analyzer;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.AnalyzerFactory;

/**
 * Elasticsearch's built-in language analyzers, by their built-in names, for a test server.
 *
 * <p>The integ-test distribution of Elasticsearch lacks the analysis-common module, which is
 * where the language analyzers ("english", "indonesian", "german", ...) live. Each of them is a
 * thin provider over the Lucene analyzer of the same language (with its default stop words),
 * and Lucene's analysis-common jar is on the server's class path anyway, so this stable plugin
 * registers the same Lucene analyzers under the same names. An index template written for a
 * real cluster can then be tested unchanged. Not for production: real clusters have the module.
 */
public final class LanguageAnalyzers {
    private LanguageAnalyzers() {}

    @NamedComponent("arabic")
    public static final class Arabic implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.ar.ArabicAnalyzer();
        }
    }

    @NamedComponent("armenian")
    public static final class Armenian implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.hy.ArmenianAnalyzer();
        }
    }

    @NamedComponent("basque")
    public static final class Basque implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.eu.BasqueAnalyzer();
        }
    }

    @NamedComponent("bengali")
    public static final class Bengali implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.bn.BengaliAnalyzer();
        }
    }

    @NamedComponent("brazilian")
    public static final class Brazilian implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.br.BrazilianAnalyzer();
        }
    }

    @NamedComponent("bulgarian")
    public static final class Bulgarian implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.bg.BulgarianAnalyzer();
        }
    }

    @NamedComponent("catalan")
    public static final class Catalan implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.ca.CatalanAnalyzer();
        }
    }

    @NamedComponent("cjk")
    public static final class Cjk implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.cjk.CJKAnalyzer();
        }
    }

    @NamedComponent("czech")
    public static final class Czech implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.cz.CzechAnalyzer();
        }
    }

    @NamedComponent("danish")
    public static final class Danish implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.da.DanishAnalyzer();
        }
    }

    @NamedComponent("dutch")
    public static final class Dutch implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.nl.DutchAnalyzer();
        }
    }

    @NamedComponent("english")
    public static final class English implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.en.EnglishAnalyzer();
        }
    }

    @NamedComponent("estonian")
    public static final class Estonian implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.et.EstonianAnalyzer();
        }
    }

    @NamedComponent("finnish")
    public static final class Finnish implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.fi.FinnishAnalyzer();
        }
    }

    @NamedComponent("french")
    public static final class French implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.fr.FrenchAnalyzer();
        }
    }

    @NamedComponent("galician")
    public static final class Galician implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.gl.GalicianAnalyzer();
        }
    }

    @NamedComponent("german")
    public static final class German implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.de.GermanAnalyzer();
        }
    }

    @NamedComponent("greek")
    public static final class Greek implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.el.GreekAnalyzer();
        }
    }

    @NamedComponent("hindi")
    public static final class Hindi implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.hi.HindiAnalyzer();
        }
    }

    @NamedComponent("hungarian")
    public static final class Hungarian implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.hu.HungarianAnalyzer();
        }
    }

    @NamedComponent("indonesian")
    public static final class Indonesian implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.id.IndonesianAnalyzer();
        }
    }

    @NamedComponent("irish")
    public static final class Irish implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.ga.IrishAnalyzer();
        }
    }

    @NamedComponent("italian")
    public static final class Italian implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.it.ItalianAnalyzer();
        }
    }

    @NamedComponent("latvian")
    public static final class Latvian implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.lv.LatvianAnalyzer();
        }
    }

    @NamedComponent("lithuanian")
    public static final class Lithuanian implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.lt.LithuanianAnalyzer();
        }
    }

    @NamedComponent("norwegian")
    public static final class Norwegian implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.no.NorwegianAnalyzer();
        }
    }

    @NamedComponent("persian")
    public static final class Persian implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.fa.PersianAnalyzer();
        }
    }

    @NamedComponent("portuguese")
    public static final class Portuguese implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.pt.PortugueseAnalyzer();
        }
    }

    @NamedComponent("romanian")
    public static final class Romanian implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.ro.RomanianAnalyzer();
        }
    }

    @NamedComponent("russian")
    public static final class Russian implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.ru.RussianAnalyzer();
        }
    }

    @NamedComponent("serbian")
    public static final class Serbian implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.sr.SerbianAnalyzer();
        }
    }

    @NamedComponent("sorani")
    public static final class Sorani implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.ckb.SoraniAnalyzer();
        }
    }

    @NamedComponent("spanish")
    public static final class Spanish implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.es.SpanishAnalyzer();
        }
    }

    @NamedComponent("swedish")
    public static final class Swedish implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.sv.SwedishAnalyzer();
        }
    }

    @NamedComponent("turkish")
    public static final class Turkish implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.tr.TurkishAnalyzer();
        }
    }

    @NamedComponent("thai")
    public static final class Thai implements AnalyzerFactory {
        @Override
        public Analyzer create() {
            return new org.apache.lucene.analysis.th.ThaiAnalyzer();
        }
    }
}
