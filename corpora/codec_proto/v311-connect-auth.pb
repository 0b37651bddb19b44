(
&:RSCRAM-SHA-1Zclient-first‚secret