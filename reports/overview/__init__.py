"""工作概览: the page of one unit (county, township, village) with charts, tables and a printable brief.

``figures`` runs the grouped queries (reusing the domain apps' selectors), ``panels_*`` turn them
into panels (key figures in sentences, charts, a table under each chart with links to the lists),
``headline`` gives the seeds' headline figures with their definitions and ``views`` the two pages.
"""
