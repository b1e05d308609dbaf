"""finsek.reports"""
