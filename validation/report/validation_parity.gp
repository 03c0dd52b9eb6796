# parity plot of snnex validate: estimated vs published, log-log,
# diagonal and 2x bands. Regenerate with make validate-report.
set terminal pngcairo size 900,720 font ',11'
set output 'validation/report/validation_parity.png'
set logscale xy
set grid
set key top left
set xlabel 'published (figure unit)'
set ylabel 'estimated (same unit)'
set title 'snnex validate: estimated vs published'
set xrange [0.0174462:78]
set yrange [0.0174462:78]
plot x w l lc rgb 'black' t 'estimated = published', \
  2*x w l dt 2 lc rgb 'gray40' t '2x', \
  0.5*x w l dt 2 lc rgb 'gray40' notitle, \
  'validation/report/validation_parity.dat' index 0 u 1:2 w p pt 5 ps 1.6 t 'TFLOPS/W', \
  '' index 0 u 1:2:3 w labels offset 1,0.6 font ',8' notitle, \
  'validation/report/validation_parity.dat' index 1 u 1:2 w p pt 7 ps 1.6 t 'pJ/SOP', \
  '' index 1 u 1:2:3 w labels offset 1,0.6 font ',8' notitle, \
  'validation/report/validation_parity.dat' index 2 u 1:2 w p pt 9 ps 1.6 t 'mm2', \
  '' index 2 u 1:2:3 w labels offset 1,0.6 font ',8' notitle
