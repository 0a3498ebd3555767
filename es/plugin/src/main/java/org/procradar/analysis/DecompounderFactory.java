package org.procradar.analysis;

import java.util.List;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.compound.DictionaryCompoundWordTokenFilter;
import org.elasticsearch.plugin.Inject;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;
import org.elasticsearch.plugin.settings.AnalysisSettings;
import org.elasticsearch.plugin.settings.ListSetting;

/**
 * {"type": "procradar_decompound", "word_list": [...]}: adds the dictionary words a compound
 * contains (klimatkraven -> klimat, krav) at the compound's position, longest match first.
 * The word lists are config/search/compounds/*.txt, shared with the SQLite backend.
 */
@NamedComponent("procradar_decompound")
public final class DecompounderFactory implements TokenFilterFactory {
    private static final int MIN_WORD = 7;
    private static final int MIN_SUBWORD = 3;
    private static final int MAX_SUBWORD = 20;

    @AnalysisSettings
    public interface Settings {
        @ListSetting(path = "word_list")
        List<String> wordList();
    }

    private final CharArraySet words;

    @Inject
    public DecompounderFactory(Settings settings) {
        this.words = CharArraySet.unmodifiableSet(new CharArraySet(settings.wordList(), true));
    }

    @Override
    public TokenStream create(TokenStream input) {
        return new DictionaryCompoundWordTokenFilter(input, words, MIN_WORD, MIN_SUBWORD, MAX_SUBWORD, true);
    }
}
