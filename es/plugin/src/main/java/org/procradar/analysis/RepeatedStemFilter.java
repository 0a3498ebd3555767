package org.procradar.analysis;

import java.io.IOException;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.KeywordAttribute;
import org.tartarus.snowball.SnowballStemmer;

/**
 * Applies a Snowball stemmer until the word stops changing (at most `passes` times). One pass
 * is not idempotent (Swedish entreprenader -> entreprenad -> entrepren), so a query word and
 * its inflections would stem apart; procradar.index.analysis.stem does the same in Python.
 */
final class RepeatedStemFilter extends TokenFilter {
    private final SnowballStemmer stemmer;
    private final int passes;
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final KeywordAttribute keyword = addAttribute(KeywordAttribute.class);

    RepeatedStemFilter(TokenStream input, SnowballStemmer stemmer, int passes) {
        super(input);
        this.stemmer = stemmer;
        this.passes = passes;
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (!input.incrementToken()) {
            return false;
        }
        if (keyword.isKeyword()) {
            return true;
        }
        String word = term.toString();
        for (int i = 0; i < passes; i++) {
            stemmer.setCurrent(word);
            stemmer.stem();
            String stemmed = stemmer.getCurrent();
            if (stemmed.equals(word)) {
                break;
            }
            word = stemmed;
        }
        term.setEmpty().append(word);
        return true;
    }
}
