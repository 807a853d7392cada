"""Planner and transparency pages, the planner's JSON figures and exports."""

from django.urls import path

from geo_klik.analytics import views

app_name = "analytics"
urlpatterns = [
    path("planner/", views.planner, name="planner"),
    path("planner/api/heatmap.json", views.heatmap_json, name="heatmap"),
    path("planner/api/heatmap-weekly.json", views.weekly_heatmap_json, name="heatmap-weekly"),
    path("planner/api/choropleth.json", views.choropleth_json, name="choropleth"),
    path("planner/api/hotspots.json", views.hotspots_json, name="hotspots"),
    path("planner/api/skpd.json", views.skpd_json, name="skpd"),
    path("planner/export/reports.csv", views.export_csv, name="export-csv"),
    path("planner/export/reports.geojson", views.export_geojson, name="export-geojson"),
    path("transparansi/", views.transparency, name="transparency"),
]
