// Published outputs of the reference analyzer (np-guard netpol-analyzer) that more than one test compares with.

/**
 * test_outputs/connlist/anp_banp_blog_demo_connlist_output.txt: the connlist of `anp-banp-blog-demo/`
 * (our own manifests of the case, docs/explain.md), lines exactly as the reference prints them.
 */
export const ANP_BANP_BLOG_DEMO_CONNLIST: readonly string[] = [
  '0.0.0.0-255.255.255.255 => bar/mybar[Pod] : All Connections',
  '0.0.0.0-255.255.255.255 => baz/mybaz[Pod] : All Connections',
  '0.0.0.0-255.255.255.255 => monitoring/mymonitoring[Pod] : All Connections',
  'bar/mybar[Pod] => 0.0.0.0-255.255.255.255 : All Connections',
  'bar/mybar[Pod] => baz/mybaz[Pod] : All Connections',
  'bar/mybar[Pod] => monitoring/mymonitoring[Pod] : All Connections',
  'baz/mybaz[Pod] => 0.0.0.0-255.255.255.255 : All Connections',
  'baz/mybaz[Pod] => monitoring/mymonitoring[Pod] : All Connections',
  'foo/myfoo[Pod] => 0.0.0.0-255.255.255.255 : All Connections',
  'foo/myfoo[Pod] => baz/mybaz[Pod] : All Connections',
  'foo/myfoo[Pod] => monitoring/mymonitoring[Pod] : All Connections',
  'monitoring/mymonitoring[Pod] => 0.0.0.0-255.255.255.255 : All Connections',
  'monitoring/mymonitoring[Pod] => baz/mybaz[Pod] : All Connections',
  'monitoring/mymonitoring[Pod] => foo/myfoo[Pod] : All Connections',
];
