"""Small helpers every app may import; this package imports none of ours."""
