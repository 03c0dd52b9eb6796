# parity plot of snnex validate: estimated vs published, log-log,
# diagonal and 2x bands. Regenerate with make validate-report.
set terminal pngcairo size 900,720 noenhanced font 'Sans,11'
set output 'validation/report/.validation_parity.tmp.png'
set datafile separator ','
set logscale xy
set grid lc rgb '#dddddd'
set format x '%g'
set format y '%g'
set lmargin at screen 0.1
set rmargin at screen 0.97
set bmargin at screen 0.16
set tmargin at screen 0.93
set key horizontal center bottom at screen 0.535, screen 0.005 box lc rgb '#aaaaaa'
set xlabel 'published figure (its unit: pJ/SOP, TFLOPS/W or mm²)'
set ylabel 'estimated by snnex (same unit)'
set title 'snnex validate: estimated vs published, 19 figures of 13 chips'
set xrange [0.0214886:155]
set yrange [0.0214886:155]
plot x w l lc rgb 'black' t 'estimated = published', \
  2*x w l dt 2 lc rgb 'gray40' t '2x either way', \
  0.5*x w l dt 2 lc rgb 'gray40' notitle, \
  'validation/report/validation_parity.dat' index 0 u 1:2 w p pt 5 ps 1.6 lc rgb '#0072b2' t 'TFLOPS/W', \
  'validation/report/validation_parity.dat' index 1 u 1:2 w p pt 7 ps 1.6 lc rgb '#e69f00' t 'pJ/SOP', \
  'validation/report/validation_parity.dat' index 2 u 1:2 w p pt 9 ps 1.6 lc rgb '#009e73' t 'mm2', \
  'validation/report/validation_parity_labels.dat' using (strcol(4) eq 'l' ? $1 : NaN):2:3 with labels left font ',8' tc rgb '#222222' notitle, \
  'validation/report/validation_parity_labels.dat' using (strcol(4) eq 'r' ? $1 : NaN):2:3 with labels right font ',8' tc rgb '#222222' notitle, \
  'validation/report/validation_parity_labels.dat' using (strcol(4) eq 'c' ? $1 : NaN):2:3 with labels center font ',8' tc rgb '#222222' notitle
