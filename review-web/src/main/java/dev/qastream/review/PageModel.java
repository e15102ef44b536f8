package dev.qastream.review;

import java.util.List;

/** What the page's filter form offers: the values the pairs have, and the threshold "borderline" is around. */
public record PageModel(List<String> tiers, List<String> models, List<String> promptVersions, double acceptThreshold,
                        String reviewer) {
}
