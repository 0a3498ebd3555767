package org.procradar.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.elasticsearch.plugin.Inject;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;
import org.elasticsearch.plugin.settings.AnalysisSettings;
import org.elasticsearch.plugin.settings.IntSetting;
import org.elasticsearch.plugin.settings.StringSetting;
import org.tartarus.snowball.SnowballStemmer;
import org.tartarus.snowball.ext.DanishStemmer;
import org.tartarus.snowball.ext.EnglishStemmer;
import org.tartarus.snowball.ext.FinnishStemmer;
import org.tartarus.snowball.ext.NorwegianStemmer;
import org.tartarus.snowball.ext.SwedishStemmer;

/** {"type": "procradar_stemmer", "language": "swedish", "passes": 4} */
@NamedComponent("procradar_stemmer")
public final class NordicStemmerFactory implements TokenFilterFactory {

    @AnalysisSettings
    public interface Settings {
        @StringSetting(path = "language", defaultValue = "swedish")
        String language();

        @IntSetting(path = "passes", defaultValue = 4)
        int passes();
    }

    private final String language;
    private final int passes;

    @Inject
    public NordicStemmerFactory(Settings settings) {
        this.language = settings.language();
        this.passes = settings.passes();
        newStemmer(language); // fail when the index is created, not on the first document
    }

    @Override
    public TokenStream create(TokenStream input) {
        return new RepeatedStemFilter(input, newStemmer(language), passes);
    }

    static SnowballStemmer newStemmer(String language) {
        return switch (language) {
            case "swedish" -> new SwedishStemmer();
            case "norwegian" -> new NorwegianStemmer();
            case "danish" -> new DanishStemmer();
            case "english" -> new EnglishStemmer();
            case "finnish" -> new FinnishStemmer();
            default -> throw new IllegalArgumentException("procradar_stemmer: unknown language " + language);
        };
    }
}
